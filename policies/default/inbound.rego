# What partners may ask of this organization. The requester's org is the one proven by its
# certificate (the gateway fills input.requester from the verified peer, never the message).
package entente.inbound

agreement := data.agreements.inbound[input.requester.org][input.capability]

decision := deny("no_agreement") if {
	not agreement
} else := deny("purpose_not_agreed") if {
	not input.purpose in agreement.purposes
} else := deny("agreement_expired") if {
	time.now_ns() >= time.parse_rfc3339_ns(agreement.until)
} else := {
	"allow": true,
	"reasons": [],
	"require_approval": object.get(agreement, "require_approval", false),
}

# The capabilities a partner's card shows: those it has an agreement for.
card contains name if {
	some name in input.capabilities
	data.agreements.inbound[input.requester.org][name]
}

deny(reason) := {"allow": false, "reasons": [reason]}
