"""The engine: isolation of crashing rules, backlog rules, kinds, suppression, order."""

from __future__ import annotations

from backlint.engine.rule import Violation, rule
from backlint.engine.run import run_rules, suppressed_codes
from backlint.model import Severity, Ticket
from backlint.testing import TEST_NOW, make_ticket, run_rule


@rule("T101", "short-title", family="clarity", severity="warning")
def short_title(ticket, ctx):
    """What: x"""
    if len(ticket.title.split()) < 3:
        yield f"title {ticket.title!r} is short"


@rule("T201", "explodes", family="acceptance-criteria")
def explodes(ticket, ctx):
    """What: x"""
    if ticket.key == "A-2":
        raise ZeroDivisionError("division by zero")
    return ()


@rule("T301", "stories-only", family="objective-link", kinds=("story",))
def stories_only(ticket, ctx):
    """What: x"""
    yield "story seen"


@rule("T401", "too-many", family="priority", scope="backlog")
def too_many(backlog, ctx):
    """What: x"""
    for ticket in backlog.tickets():
        if ticket.kind == "bug":
            yield Violation("bug in backlog", ticket=ticket.key, severity=Severity.INFO)


def backlog():
    return [
        make_ticket("A-2", title="Ok", kind="story"),
        make_ticket("A-1", title="Short", kind="bug"),
        make_ticket("A-3", title="A perfectly long title", kind="task"),
    ]


def test_findings_sorted_by_ticket_then_code():
    result = run_rules(backlog(), [too_many, stories_only, short_title], TEST_NOW)
    assert [(f.ticket, f.rule) for f in result.findings] == [
        ("A-1", "T101"),
        ("A-1", "T401"),
        ("A-2", "T101"),
        ("A-2", "T301"),
    ]
    info = next(f for f in result.findings if f.rule == "T401")
    assert info.severity is Severity.INFO and info.family == "priority"


def test_a_crashing_rule_becomes_a_run_finding_and_the_run_goes_on():
    result = run_rules(backlog(), [explodes, short_title], TEST_NOW)
    crash = [f for f in result.findings if f.family == "run"]
    assert result.crashed == 1
    assert len(crash) == 1
    assert crash[0].ticket == "A-2" and crash[0].rule == "BL901"
    assert "rule T201 (explodes) crashed on A-2: ZeroDivisionError: division by zero" in (
        crash[0].message
    )
    assert {f.ticket for f in result.findings if f.rule == "T101"} == {"A-1", "A-2"}


def test_a_crashing_backlog_rule_is_isolated_too():
    @rule("T402", "backlog-boom", family="priority", scope="backlog")
    def boom(backlog, ctx):
        """What: x"""
        raise RuntimeError("nope")

    result = run_rules(backlog(), [boom, short_title], TEST_NOW)
    assert result.crashed == 1
    assert [f.ticket for f in result.findings if f.family == "run"] == ["(backlog)"]


def test_backlog_rule_naming_an_unknown_ticket_is_reported():
    @rule("T403", "ghost", family="priority", scope="backlog")
    def ghost(backlog, ctx):
        """What: x"""
        yield Violation("boo", ticket="NOPE-1")

    result = run_rules(backlog(), [ghost], TEST_NOW)
    assert "unknown ticket 'NOPE-1'" in result.findings[0].message


def test_unreadable_ticket_gets_bl902_and_is_not_judged():
    broken = Ticket(key="entry 3", tracker="file", load_error="bad")
    result = run_rules([broken], [short_title], TEST_NOW)
    assert [(f.rule, f.message) for f in result.findings] == [("BL902", "bad")]


def test_suppression_by_label_and_body_line():
    tickets = [
        make_ticket("S-1", title="Tiny", labels=["backlint:ignore"]),
        make_ticket("S-2", title="Tiny", labels=["backlint:ignore:T101"]),
        make_ticket("S-3", title="Tiny", body="text\n<!-- backlint: ignore T1 -->"),
        make_ticket("S-4", title="Tiny", fields={"body_markup": "<!-- backlint: ignore T101 -->"}),
        make_ticket("S-5", title="Tiny", labels=["backlint:ignore:T999"]),
    ]
    result = run_rules(tickets, [short_title], TEST_NOW)
    assert [f.ticket for f in result.findings] == ["S-5"]


def test_suppressed_codes():
    assert suppressed_codes(make_ticket(labels=["x"])) is None
    assert suppressed_codes(make_ticket(body="backlint: ignore BL201, BL301")) == {"BL201", "BL301"}
    assert suppressed_codes(make_ticket(body="backlint: ignore")) == {"*"}


def test_a_suppression_must_be_a_line_of_its_own_naming_only_codes():
    tickets = [
        make_ticket("P-1", title="Tiny", body="We said backlint: ignore BL101 in standup."),
        make_ticket("P-2", title="Tiny", body="backlint: ignore closed tickets"),
        make_ticket("P-3", title="Tiny", body="Intro\n  backlint: ignore T101, T2  \nmore"),
        make_ticket("P-4", title="Tiny", labels=["backlint:ignore:"]),
    ]
    result = run_rules(tickets, [short_title], TEST_NOW)
    assert [f.ticket for f in result.findings] == ["P-1", "P-2", "P-4"]


def test_findings_carry_who_can_act_on_them():
    from backlint.plugins import load_plugins

    rules = load_plugins((), environ={"BACKLINT_LOAD_PLUGINS": ""}).rules
    assert rules["BL112"].reader == "author"  # the reporter can add steps
    assert rules["BL201"].reader == "author"  # criteria are written in the description
    assert rules["BL304"].reader == "author"  # the benefit, though its family is objective-link
    assert rules["BL401"].reader == "maintainer"  # only maintainers set a priority
    assert rules["BL301"].reader == "maintainer"
    assert rules["BL405"].reader == "backlog"  # inflation is the backlog's, not one ticket's
    assert rules["BL503"].reader == "backlog"
    ticket = make_ticket(kind="story", body="As a shopper I want to pay.")
    findings = run_rule(rules["BL401"], ticket)
    assert findings and {f.audience for f in findings} == {"maintainer"}
