package entente.disclosure_test

import data.entente.disclosure

agreements := {"inbound": {"hospital-a": {"patients.count": {
	"purposes": ["research"],
	"until": "2099-01-01T00:00:00Z",
	"disclose": ["count"],
	"suppress_below": {"count": 5},
}}}}

result(r) := {
	"requester": {"org": "hospital-a"},
	"capability": "patients.count",
	"purpose": "research",
	"result": r,
}

test_discloses_large_counts if {
	d := disclosure.decision with input as result({"count": 12}) with data.agreements as agreements
	d.allow
	d.result == {"count": 12}
}

test_suppresses_small_cells if {
	d := disclosure.decision with input as result({"count": 3}) with data.agreements as agreements
	d.result == {"count": "<5"}
}

test_threshold_itself_is_disclosed if {
	d := disclosure.decision with input as result({"count": 5}) with data.agreements as agreements
	d.result == {"count": 5}
}

test_drops_fields_not_disclosed if {
	d := disclosure.decision with input as result({"count": 9, "patient_ids": [1, 2]}) with data.agreements as agreements
	d.result == {"count": 9}
}

test_denies_without_agreement if {
	d := disclosure.decision with input as object.union(result({"count": 9}), {"requester": {"org": "bank-x"}})
		with data.agreements as agreements
	not d.allow
}
