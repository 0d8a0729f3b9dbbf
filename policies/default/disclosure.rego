# What may leave as a result: only the fields the agreement discloses, with small cells
# suppressed (a count below the threshold becomes "<threshold", so that a count of 1 or 2
# cannot single out a patient).
package entente.disclosure

agreement := data.agreements.inbound[input.requester.org][input.capability]

decision := deny("no_agreement") if {
	not agreement
} else := {"allow": true, "reasons": [], "result": result}

result[field] := shown(field, input.result[field]) if {
	some field in agreement.disclose
}

shown(field, value) := sprintf("<%d", [threshold]) if {
	threshold := agreement.suppress_below[field]
	value < threshold
} else := value

deny(reason) := {"allow": false, "reasons": [reason]}
