package entente.outbound_test

import data.entente.outbound

agreements := {"outbound": {"hospital-b": {"patients.count": {
	"purposes": ["research"],
	"until": "2099-01-01T00:00:00Z",
	"fields": ["condition", "min_age"],
}}}}

request := {
	"partner": "hospital-b",
	"capability": "patients.count",
	"purpose": "research",
	"input": {"condition": "diabetes", "min_age": 40, "name": "Jane Doe"},
}

test_allows_agreed_request_and_drops_unagreed_fields if {
	d := outbound.decision with input as request with data.agreements as agreements
	d.allow
	d.input == {"condition": "diabetes", "min_age": 40}
}

test_denies_partner_without_agreement if {
	d := outbound.decision with input as object.union(request, {"partner": "hospital-z"})
		with data.agreements as agreements
	not d.allow
	d.reasons == ["no_agreement"]
}

test_denies_unagreed_purpose if {
	d := outbound.decision with input as object.union(request, {"purpose": "marketing"})
		with data.agreements as agreements
	d.reasons == ["purpose_not_agreed"]
}

test_denies_after_agreement_ends if {
	expired := json.patch(agreements, [{"op": "replace", "path": "/outbound/hospital-b/patients.count/until", "value": "2001-01-01T00:00:00Z"}])
	d := outbound.decision with input as request with data.agreements as expired
	d.reasons == ["agreement_expired"]
}
