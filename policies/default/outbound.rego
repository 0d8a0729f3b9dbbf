# What may leave this organization: only requests covered by an agreement with the
# partner, for an agreed purpose, before the agreement ends, and only the agreed fields.
package entente.outbound

agreement := data.agreements.outbound[input.partner][input.capability]

decision := deny("no_agreement") if {
	not agreement
} else := deny("purpose_not_agreed") if {
	not input.purpose in agreement.purposes
} else := deny("agreement_expired") if {
	time.now_ns() >= time.parse_rfc3339_ns(agreement.until)
} else := deny("workflow_not_agreed") if {
	not workflow_agreed
} else := {"allow": true, "reasons": [], "input": minimised}

# An agreement with `workflows` lets the request leave only as a step of one of those
# workflows (input.workflow is set by the gateway for a workflow's steps, never by a caller).
workflow_agreed if not agreement.workflows

workflow_agreed if input.workflow.name in agreement.workflows

# Only the fields the agreement names leave; anything else in the caller's input stays here.
minimised := {field: value |
	some field, value in input.input
	field in agreement.fields
}

deny(reason) := {"allow": false, "reasons": [reason]}
