"""The stored backlog of incremental audits: tickets round-trip, the content fingerprint leaves
out backlint's own writes, and the engine keeps known findings only where they cannot move."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType

from backlint.engine.rule import rule
from backlint.engine.run import KnownFindings, run_rules
from backlint.history.snapshots import (
    Snapshot,
    StoredTicket,
    content_fingerprint,
    load_snapshot,
    save_snapshot,
    ticket_from_json,
    ticket_to_json,
)
from backlint.model import Activity, Finding, Link, Priority, Severity, Ticket

AT = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
MANAGED = frozenset({"backlint:needs-work", "needs-clarity"})


def full_ticket() -> Ticket:
    return Ticket(
        key="SHOP-7",
        tracker="jira",
        title="Show delivery dates",
        body="As a shopper ...",
        url="https://x/browse/SHOP-7",
        kind="Story",
        status="In Progress",
        status_category="in_progress",
        priority=Priority("High", 1),
        priority_signals=(Priority("P1", 1, "label"),),
        labels=("team-a", "backlint:needs-work"),
        assignees=("alice",),
        reporter="rita",
        created=AT,
        updated=AT + timedelta(days=1),
        due=date(2026, 12, 1),
        parent="SHOP-1",
        links=(Link("blocks", "SHOP-9", "bug", "To Do", "todo", "A bug", Priority("Low", 3)),),
        children=("SHOP-8",),
        sprint="Sprint 4",
        estimate=3.0,
        components=("web",),
        activity=(
            Activity(AT, "bob"),
            Activity(AT + timedelta(hours=1), "backlint", "comment", True),
        ),
        fields=MappingProxyType(
            {
                "fix_versions": ("1.2",),
                "parent_link": Link("parent", "SHOP-1", "epic"),
                "comments": 3,
                "seen": AT,
            }
        ),
        raw=MappingProxyType({"fields": {"labels": ["team-a"]}}),
    )


def test_a_ticket_round_trips_without_its_raw_payload():
    ticket = full_ticket()
    back = ticket_from_json(ticket_to_json(ticket))
    assert back == ticket
    assert dict(back.fields) == dict(ticket.fields) and back.raw == {}
    assert back.activity[1].is_bot and back.links[0].priority == Priority("Low", 3)
    minimal = Ticket(key="o/r#1", tracker="github")
    assert ticket_to_json(minimal) == {"key": "o/r#1", "tracker": "github"}
    assert ticket_from_json(ticket_to_json(minimal)) == minimal


def test_backlints_own_writes_leave_the_content_fingerprint_alone():
    ticket = full_ticket()
    before = content_fingerprint(ticket_to_json(ticket), MANAGED)
    written = replace(
        ticket,
        labels=("team-a", "needs-clarity"),
        updated=AT + timedelta(days=30),
        activity=(*ticket.activity, Activity(AT + timedelta(days=30), "backlint", "comment", True)),
        fields=MappingProxyType({**ticket.fields, "comments": 4}),
    )
    assert content_fingerprint(ticket_to_json(written), MANAGED) == before
    for change in (
        {"title": "Show delivery dates at checkout"},
        {"labels": ("team-b",)},
        {"activity": (*ticket.activity, Activity(AT + timedelta(days=30), "carol"))},
    ):
        changed = replace(ticket, **change)
        assert content_fingerprint(ticket_to_json(changed), MANAGED) != before


def test_snapshots_store_changed_rows_and_a_full_run_replaces_them(tmp_path):
    path = tmp_path / "h.sqlite"
    finding = Finding(
        "A-1", "BL101", "vague-title", "clarity", Severity.WARNING, "m", "u", "author"
    )
    header = Snapshot("jira:A", "{}", AT, {"rules": {}})

    def entry(key: str, findings=()) -> StoredTicket:
        return StoredTicket(Ticket(key=key, tracker="jira", title=key), "c-" + key, findings)

    save_snapshot(path, header, [entry("A-1", (finding,)), entry("A-2")], replace_all=True)
    save_snapshot(path, header, [entry("A-3")], removed=["A-2"])
    stored = load_snapshot(path, "jira:A", "{}")
    assert sorted(stored.tickets) == ["A-1", "A-3"]
    assert stored.tickets["A-1"].findings == (finding,)
    assert stored.tickets["A-1"].findings[0].audience == "author"
    save_snapshot(path, header, [entry("A-9")], replace_all=True)
    assert sorted(load_snapshot(path, "jira:A", "{}").tickets) == ["A-9"]
    assert load_snapshot(path, "jira:A", '{"state": "all"}') is None
    assert load_snapshot(tmp_path / "absent.sqlite", "jira:A", "{}") is None


@rule("ZZ101", "title-says-fix", family="clarity")
def title_says_fix(ticket, ctx):
    """What: test. Why: test. Example: test. Fix: test."""
    if "Fix" in ticket.title:
        yield "fix"


@rule("ZZ102", "old", family="hygiene")
def old(ticket, ctx):
    """What: test. Why: test. Example: test. Fix: test."""
    if ticket.created and ctx.now - ticket.created > timedelta(days=30):
        yield "old"


def test_known_findings_are_kept_and_clock_readers_judge_every_ticket():
    tickets = [Ticket(key=f"A-{n}", tracker="jira", title="Fix", created=AT) for n in (1, 2)]
    first = run_rules(tickets, [title_says_fix, old], AT)
    assert first.context_rules == {"ZZ102"} and {f.rule for f in first.findings} == {"ZZ101"}
    # A-1 is known (its stored ZZ101 finding says "stored"); A-2 changed and is judged again.
    stored = Finding("A-1", "ZZ101", "title-says-fix", "clarity", Severity.WARNING, "stored")
    known = KnownFindings({"A-1": [stored]}, frozenset(first.context_rules))
    later = run_rules(tickets, [title_says_fix, old], AT + timedelta(days=60), known=known)
    assert {(f.ticket, f.rule, f.message) for f in later.findings} == {
        ("A-1", "ZZ101", "stored"),
        ("A-1", "ZZ102", "old"),
        ("A-2", "ZZ101", "fix"),
        ("A-2", "ZZ102", "old"),
    }
