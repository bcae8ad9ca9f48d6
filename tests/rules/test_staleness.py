"""BL502 stale-ticket and the activity rules behind it (backlint.rules.hygiene.staleness)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fakes.hygiene import load, ticket

from backlint.model import Activity
from backlint.rules.hygiene.staleness import bot_names, last_human_activity, stale_ticket
from backlint.testing import make_ticket, run_rule

FIXTURE = load("staleness.json")
BOTS = bot_names({})


@pytest.mark.parametrize("data", FIXTURE["flag"], ids=lambda d: d["key"])
def test_flags_stale_tickets(data):
    findings = run_rule(stale_ticket, ticket(data))
    assert [f.rule for f in findings] == ["BL502"]
    assert "No human activity" in findings[0].message


@pytest.mark.parametrize("data", FIXTURE["pass"], ids=lambda d: d["key"])
def test_leaves_active_tickets_alone(data):
    assert run_rule(stale_ticket, ticket(data)) == []


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_bot_comment_does_not_reset_the_clock():
    bot_only = ticket(FIXTURE["flag"][1])
    assert last_human_activity(bot_only, BOTS) == at("2026-09-18T15:22:00+00:00")


def test_updated_counts_when_no_bot_acted_near_it():
    data = {
        "key": "X-1",
        "created": "2026-01-01T00:00:00+00:00",
        "updated": "2026-11-01T09:00:00+00:00",
    }
    assert last_human_activity(ticket(data), BOTS) == at("2026-11-01T09:00:00+00:00")


def test_updated_counts_when_a_person_acted_at_the_same_time_as_a_bot():
    human_after_bot = ticket(FIXTURE["pass"][3])
    assert last_human_activity(human_after_bot, BOTS) == at("2026-11-15T06:03:00+00:00")


def test_configured_bot_names_do_not_count():
    settings = {"hygiene": {"bots": ["release-robot"]}}
    entry = Activity(at=at("2026-11-20T00:00:00+00:00"), actor="Release-Robot")
    old = make_ticket(
        "X-2",
        status_category="todo",
        created=at("2025-01-01T00:00:00+00:00"),
        updated=at("2026-11-20T00:01:00+00:00"),
        activity=[entry],
    )
    assert [f.rule for f in run_rule(stale_ticket, old, settings=settings)] == ["BL502"]
    assert run_rule(stale_ticket, old, settings={"hygiene": {"bots": []}}) == []


def test_bot_echo_window_is_configurable():
    data = dict(FIXTURE["flag"][3])
    data["updated"] = "2026-11-20T04:00:00+00:00"  # an hour after dependabot's label change
    fresh = ticket(data)
    assert run_rule(stale_ticket, fresh) == []
    wide = {"hygiene": {"bot-echo-minutes": 120}}
    assert [f.rule for f in run_rule(stale_ticket, fresh, settings=wide)] == ["BL502"]


def test_priority_limit_is_stricter_than_the_category_limit():
    highest = ticket(FIXTURE["flag"][2])
    assert "limit for Highest tickets is 60 days" in run_rule(stale_ticket, highest)[0].message
    assert run_rule(stale_ticket, highest, options={"priority_days": []}) == []


def test_zero_turns_a_limit_off():
    old = ticket(FIXTURE["flag"][0])
    assert run_rule(stale_ticket, old, options={"todo_days": 0, "priority_days": []}) == []


def test_naive_dates_are_read_as_utc():
    naive = make_ticket("X-3", created=datetime(2025, 1, 1), updated=datetime(2025, 1, 2))
    now = datetime(2026, 11, 22, tzinfo=UTC)
    assert [f.rule for f in run_rule(stale_ticket, naive, now=now)] == ["BL502"]
    assert last_human_activity(naive, BOTS) == datetime(2025, 1, 2, tzinfo=UTC)


def test_ticket_without_dates_is_not_judged():
    assert run_rule(stale_ticket, make_ticket("X-4")) == []
