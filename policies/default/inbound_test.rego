package entente.inbound_test

import data.entente.inbound

agreements := {"inbound": {"hospital-a": {
	"patients.count": {"purposes": ["research"], "until": "2099-01-01T00:00:00Z"},
	"patients.list": {"purposes": ["care"], "until": "2099-01-01T00:00:00Z", "require_approval": true},
}}}

request := {
	"requester": {"org": "hospital-a"},
	"capability": "patients.count",
	"purpose": "research",
	"input": {"condition": "diabetes"},
}

test_allows_agreed_request if {
	d := inbound.decision with input as request with data.agreements as agreements
	d.allow
	d.require_approval == false
}

test_denies_unknown_requester if {
	d := inbound.decision with input as object.union(request, {"requester": {"org": "bank-x"}})
		with data.agreements as agreements
	not d.allow
	d.reasons == ["no_agreement"]
}

test_denies_unagreed_purpose if {
	d := inbound.decision with input as object.union(request, {"purpose": "marketing"})
		with data.agreements as agreements
	d.reasons == ["purpose_not_agreed"]
}

test_passes_on_approval_requirement if {
	d := inbound.decision with input as object.union(request, {"capability": "patients.list", "purpose": "care"})
		with data.agreements as agreements
	d.require_approval == true
}

test_card_shows_only_agreed_capabilities if {
	c := inbound.card with input as {"requester": {"org": "hospital-a"}, "capabilities": ["patients.count", "billing.export"]}
		with data.agreements as agreements
	c == {"patients.count"}
}
