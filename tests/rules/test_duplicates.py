"""BL601 near-duplicate (backlint.rules.duplicates.near_duplicate) over paraphrased reports."""

from __future__ import annotations

import re

from fakes.hygiene import load, ticket

from backlint.rules.duplicates.near_duplicate import near_duplicate
from backlint.testing import run_rule

FIXTURE = load("duplicates.json")
TICKETS = [ticket(data) for data in FIXTURE["tickets"]]


def reported_groups(findings):
    groups = {}
    for finding in findings:
        others = re.findall(r"([A-Za-z/]+#\d+|[A-Z]+-\d+) <", finding.message) or re.findall(
            r"([A-Za-z/]+#\d+|[A-Z]+-\d+) \(\d+% similar\)", finding.message
        )
        groups[finding.ticket] = sorted({finding.ticket, *others})
    return groups


def test_paraphrased_duplicates_are_grouped():
    groups = reported_groups(run_rule(near_duplicate, TICKETS))
    for planted in FIXTURE["groups"]:
        for key in planted:
            assert groups.get(key) == sorted(planted), key


def test_one_finding_per_ticket_with_similarity_and_others():
    findings = [f for f in run_rule(near_duplicate, TICKETS) if f.ticket == "acme/web#127"]
    assert len(findings) == 1
    message = findings[0].message
    assert "acme/web#125" in message and "acme/web#130" in message
    assert re.search(r"\(\d+% similar\)", message)


def test_clean_tickets_are_not_reported():
    flagged = {f.ticket for f in run_rule(near_duplicate, TICKETS)}
    assert not flagged & set(FIXTURE["clean"])
    assert all(
        f.family == "duplicate" and f.rule == "BL601" for f in run_rule(near_duplicate, TICKETS)
    )


def test_links_appear_when_tickets_have_urls():
    with_urls = [
        ticket({**data, "url": f"https://tracker.example/{data['key']}"})
        for data in FIXTURE["tickets"]
    ]
    message = next(f.message for f in run_rule(near_duplicate, with_urls) if f.ticket == "SHOP-225")
    assert "SHOP-236 <https://tracker.example/SHOP-236>" in message


def test_threshold_option():
    assert run_rule(near_duplicate, TICKETS, options={"threshold": 0.99}) == []


def test_ignored_kinds_are_never_compared():
    findings = run_rule(near_duplicate, TICKETS, options={"ignore_kinds": ["bug"]})
    assert findings == []


def test_max_listed_caps_the_names():
    findings = run_rule(near_duplicate, TICKETS, options={"max_listed": 1})
    message = next(f.message for f in findings if f.ticket == "acme/web#127")
    assert "and 1 more" in message
