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

test_an_agreement_scoped_to_workflows_allows_their_steps_only if {
	scoped := json.patch(agreements, [{"op": "add", "path": "/outbound/hospital-b/patients.count/workflows", "value": ["cohort-study"]}])
	step := object.union(request, {"workflow": {"run_id": "r1", "name": "cohort-study", "step": "b"}})
	outbound.decision.allow with input as step with data.agreements as scoped
	other := outbound.decision with input as object.union(step, {"workflow": {"run_id": "r2", "name": "marketing-push", "step": "b"}})
		with data.agreements as scoped
	other.reasons == ["workflow_not_agreed"]
	direct := outbound.decision with input as request with data.agreements as scoped
	direct.reasons == ["workflow_not_agreed"]
}
