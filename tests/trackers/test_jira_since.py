"""``build_jql`` with ``FetchOptions.since``: Jira's minute precision and the account's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from backlint.trackers.base import FetchOptions
from backlint.trackers.jira.tracker import JiraSource, build_jql

BERLIN_SUMMER = timezone(timedelta(hours=2))


def test_since_is_written_in_the_zone_it_carries_floored_and_an_hour_early():
    since = datetime(2026, 7, 1, 10, 30, 59, 900000, tzinfo=BERLIN_SUMMER)
    jql = build_jql(JiraSource("SHOP", None), FetchOptions(state="all", since=since))
    assert jql == 'project = "SHOP" AND updated >= "2026/07/01 09:30" ORDER BY key ASC'


def test_since_in_utc_stays_in_utc():
    since = datetime(2026, 11, 1, 0, 0, tzinfo=UTC)
    jql = build_jql(JiraSource("SHOP", None), FetchOptions(state="open", since=since))
    assert jql == (
        'project = "SHOP" AND statusCategory != Done AND updated >= "2026/10/31 23:00" '
        "ORDER BY key ASC"
    )


def test_since_narrows_a_jql_query_with_or_without_a_project():
    since = datetime(2026, 11, 1, 12, 5, tzinfo=UTC)
    options = FetchOptions(query="labels = team-a ORDER BY updated DESC", since=since)
    assert build_jql(JiraSource("SHOP", None), options) == (
        'project = "SHOP" AND (labels = team-a) AND updated >= "2026/11/01 11:05" '
        "ORDER BY updated DESC"
    )
    assert build_jql(JiraSource(None, None), options) == (
        '(labels = team-a) AND updated >= "2026/11/01 11:05" ORDER BY updated DESC'
    )
    assert build_jql(JiraSource(None, None), FetchOptions(query="labels = x")) == "labels = x"


def test_a_single_issue_ignores_since():
    since = datetime(2026, 11, 1, tzinfo=UTC)
    assert build_jql(JiraSource("SHOP", "SHOP-1"), FetchOptions(since=since)) == 'key = "SHOP-1"'
