"""BL601 near-duplicate (backlint.rules.duplicates.near_duplicate) over paraphrased reports,
siblings that are not duplicates, and the labelled cases in tests/fixtures/rules/duplicates.toml."""

from __future__ import annotations

import re

import pytest
from fakes.casebook import check, load_cases
from fakes.hygiene import load, ticket

from backlint.rules.duplicates.near_duplicate import near_duplicate
from backlint.testing import make_ticket, run_rule

FIXTURE = load("duplicates.json")
TICKETS = [ticket(data) for data in FIXTURE["tickets"]]
_LISTED = re.compile(r"([A-Za-z/]+#\d+|[A-Z]+-\d+)(?: <[^>]*>)? \((\d+)% similar(?:, ([^)]*))?\)")


def listed(finding) -> dict[str, tuple[int, str]]:
    """The tickets a finding names, with the similarity and reason it shows."""
    return {key: (int(score), why) for key, score, why in _LISTED.findall(finding.message)}


@pytest.mark.parametrize("case", load_cases("duplicates"), ids=lambda case: case.id)
def test_labelled_case(case, rules) -> None:
    check(case, rules)


def test_paraphrased_duplicates_are_found_and_stay_in_their_group():
    findings = {f.ticket: listed(f) for f in run_rule(near_duplicate, TICKETS)}
    for planted in FIXTURE["groups"]:
        joined = set()
        for key in planted:
            assert key in findings, key
            assert set(findings[key]) <= set(planted), (key, findings[key])
            joined |= {frozenset((key, other)) for other in findings[key]}
        # every member is reached from every other through the findings
        reached, frontier = {planted[0]}, [planted[0]]
        while frontier:
            node = frontier.pop()
            for pair in joined:
                if node in pair and not pair <= reached:
                    (other,) = pair - {node}
                    reached.add(other)
                    frontier.append(other)
        assert reached == set(planted)


def test_one_finding_per_ticket_with_similarity_and_others():
    findings = [f for f in run_rule(near_duplicate, TICKETS) if f.ticket == "acme/web#127"]
    assert len(findings) == 1
    message = findings[0].message
    assert "acme/web#125" in message and "acme/web#130" in message
    assert re.search(r"\(\d+% similar\)", message)


def test_a_finding_names_only_tickets_it_duplicates_itself():
    """#125 and #130 both duplicate #127, but are less alike each other than the threshold:
    #125's finding names #127 only, and every similarity shown reaches the threshold."""
    findings = {f.ticket: listed(f) for f in run_rule(near_duplicate, TICKETS)}
    assert set(findings["acme/web#125"]) == {"acme/web#127"}
    for names in findings.values():
        assert all(score >= 58 for score, why in names.values() if not why)


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


def _template(entity: str, version: str = "3.12") -> str:
    return (
        f"Move the {entity} service to Python {version}: update the base image, the CI matrix "
        f"and the lock file, then run the {entity} regression suite against staging and watch "
        "the error rate for a day before closing."
    )


def test_siblings_of_one_template_are_not_duplicates_but_copies_are():
    siblings = [
        make_ticket(
            f"OPS-{n}", kind="task", title=f"Migrate the {name} service", body=_template(name)
        )
        for n, name in enumerate(("billing", "search", "catalog", "identity"), start=1)
    ]
    assert run_rule(near_duplicate, siblings) == []
    copy = make_ticket(
        "OPS-9", kind="task", title="Migrate the search service", body=_template("search")
    )
    flagged = {f.ticket for f in run_rule(near_duplicate, [*siblings, copy])}
    assert flagged == {"OPS-2", "OPS-9"}


def test_versions_in_the_slot_make_siblings():
    tickets = [
        make_ticket(
            f"OPS-{n}",
            kind="task",
            title=f"Migrate the billing service to Python {version}",
            body=_template("billing", version),
        )
        for n, version in enumerate(("3.11", "3.12"), start=1)
    ]
    assert run_rule(near_duplicate, tickets) == []
