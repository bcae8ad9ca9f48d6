"""Write-back to the fake GitHub: one comment and managed labels, paced, never duplicated."""

from __future__ import annotations

import pytest

from backlint.config.config import config_from_mapping
from backlint.model import Finding, Severity
from backlint.trackers.base import FetchOptions
from backlint.trackers.github.mapping import ticket_from_rest
from backlint.trackers.github.write import split_key
from backlint.writeback.contract import RESOLVED, ExistingComment, WriteResult, parse_marker
from backlint.writeback.planner import plan_ticket, render_comment

REPO = "o/r"
SETTINGS = config_from_mapping({}).writeback


def ac_finding(key: str, message: str = "Add acceptance criteria.") -> Finding:
    return Finding(
        key,
        "BL201",
        "missing-acceptance-criteria",
        "acceptance-criteria",
        Severity.WARNING,
        message,
    )


def plan_for(connection, ticket, findings):
    state = connection.current_state(ticket, bool(findings))
    return plan_ticket(ticket, findings, state, SETTINGS)


def fetch_one(connection, key="o/r#1"):
    return next(t for t in connection.fetch(FetchOptions()) if t.key == key)


def test_first_apply_writes_comment_and_labels_creating_labels_once(fake_github, connect):
    fake_github.add_issue(REPO, labels=["bug"])
    fake_github.add_issue(REPO, labels=["bug"])
    connection = connect()
    results = []
    for ticket in connection.fetch(FetchOptions()):
        results.append(connection.apply(plan_for(connection, ticket, [ac_finding(ticket.key)])))
    assert [r.error for r in results] == [None, None]
    # 2 new labels created once; then per ticket one labels call and one comment.
    assert [r.writes for r in results] == [4, 2]
    assert len(fake_github.writes) == 6
    created = fake_github.repo(REPO).labels["needs-acceptance-criteria"]
    assert created["color"] == "fbca04" and "acceptance criteria" in created["description"]
    assert fake_github.labels_on(REPO, 1) == [
        "bug",
        "backlint:needs-work",
        "needs-acceptance-criteria",
    ]
    [comment] = fake_github.comments_on(REPO, 1)
    assert parse_marker(comment["body"]) not in (None, RESOLVED)


def test_unchanged_ticket_plans_no_writes_and_reads_nothing_more(fake_github, connect):
    fake_github.add_issue(REPO)
    connection = connect()
    ticket = fetch_one(connection)
    connection.apply(plan_for(connection, ticket, [ac_finding(ticket.key)]))
    again = connect()
    ticket = fetch_one(again)
    fake_github.clear_log()
    plan = plan_for(again, ticket, [ac_finding(ticket.key)])
    assert plan.is_empty and fake_github.log == []


def test_changed_findings_edit_the_comment_in_place(fake_github, connect):
    fake_github.add_issue(REPO)
    connection = connect()
    connection.apply(plan_for(connection, fetch_one(connection), [ac_finding("o/r#1")]))
    ticket = fetch_one(connect())
    plan = plan_for(connection, ticket, [ac_finding("o/r#1", "Other text.")])
    assert plan.comment_action == "edit"
    assert connection.apply(plan).writes == 1
    [comment] = fake_github.comments_on(REPO, 1)
    assert "Other text." in comment["body"]


def test_failed_comment_creation_is_reported_not_retried_and_a_rerun_converges(
    fake_github, connect
):
    fake_github.add_issue(REPO)
    fake_github.inject(r"/issues/1/comments$", 500, method="POST")
    connection = connect()
    result = connection.apply(plan_for(connection, fetch_one(connection), [ac_finding("o/r#1")]))
    assert result.error and "HTTP 500" in result.error
    assert len(fake_github.requests("POST", r"/issues/1/comments$")) == 1
    rerun = connect()
    result = rerun.apply(plan_for(rerun, fetch_one(rerun), [ac_finding("o/r#1")]))
    assert result.error is None
    assert len(fake_github.comments_on(REPO, 1)) == 1


def test_a_lost_answer_after_creation_never_leads_to_a_duplicate(fake_github, connect):
    fake_github.add_issue(REPO)
    fake_github.inject(r"/issues/1/comments$", method="POST", drop=True, after=True)
    connection = connect()
    result = connection.apply(plan_for(connection, fetch_one(connection), [ac_finding("o/r#1")]))
    assert result.error and "cannot reach GitHub" in result.error
    rerun = connect()
    plan = plan_for(rerun, fetch_one(rerun), [ac_finding("o/r#1")])
    assert plan.is_empty  # the comment exists and the labels were added before it
    assert len(fake_github.comments_on(REPO, 1)) == 1


def test_secondary_limit_on_a_write_waits_and_resumes_without_duplicates(
    fake_github, connect, clock
):
    fake_github.add_issue(REPO)
    fake_github.inject_rate_limit(r"/issues/1/comments$", method="POST")
    connection = connect()
    result = connection.apply(plan_for(connection, fetch_one(connection), [ac_finding("o/r#1")]))
    assert result.error is None
    assert clock.sleeps == [60]  # no retry-after: at least a minute, as GitHub asks
    assert any("secondary rate limit" in note for note in clock.notes)
    assert len(fake_github.comments_on(REPO, 1)) == 1


def test_a_429_on_an_edit_is_retried_after_retry_after(fake_github, connect, clock):
    fake_github.add_issue(REPO)
    connection = connect()
    connection.apply(plan_for(connection, fetch_one(connection), [ac_finding("o/r#1")]))
    fake_github.inject_rate_limit(r"/issues/comments/\d+$", status=429, retry_after=3)
    ticket = fetch_one(connection)
    result = connection.apply(plan_for(connection, ticket, [ac_finding("o/r#1", "New.")]))
    assert result.error is None and clock.sleeps == [3]
    assert "New." in fake_github.comments_on(REPO, 1)[0]["body"]


def test_fixed_ticket_resolves_comment_and_removes_only_managed_labels(fake_github, connect):
    fake_github.add_issue(REPO, labels=["bug"])
    connection = connect()
    connection.apply(plan_for(connection, fetch_one(connection), [ac_finding("o/r#1")]))
    plan = plan_for(connection, fetch_one(connection), [])
    assert plan.comment_action == "edit"
    assert set(plan.labels_remove) == {"backlint:needs-work", "needs-acceptance-criteria"}
    assert connection.apply(plan).error is None
    assert fake_github.labels_on(REPO, 1) == ["bug"]
    assert parse_marker(fake_github.comments_on(REPO, 1)[0]["body"]) == RESOLVED
    assert plan_for(connection, fetch_one(connection), []).is_empty


def test_label_already_removed_by_someone_counts_as_done(fake_github, connect):
    fake_github.add_issue(REPO, labels=["needs-clarity"])
    connection = connect()
    plan = plan_for(connection, fetch_one(connection), [])
    fake_github.repo(REPO).issues[1]["labels"] = []
    assert connection.apply(plan).error is None


def test_writes_are_paced(fake_github, connect, clock):
    fake_github.add_label(REPO, "backlint:needs-work")
    fake_github.add_label(REPO, "needs-acceptance-criteria")
    fake_github.add_issue(REPO)
    connection = connect(config={"github": {"write-delay": 1.5}})
    connection.apply(plan_for(connection, fetch_one(connection), [ac_finding("o/r#1")]))
    assert clock.sleeps == [1.5]  # labels, then 1.5 s, then the comment


def test_a_ticket_from_a_webhook_payload_can_be_checked_and_written(fake_github, connect):
    payload_issue = fake_github.add_issue(REPO, title="From a webhook", number=7)
    ticket = ticket_from_rest(payload_issue, REPO)
    connection = connect("github:o/r#7")
    plan = plan_for(connection, ticket, [ac_finding(ticket.key)])
    assert plan.comment_action == "create"
    assert connection.apply(plan).error is None
    ticket = ticket_from_rest(fake_github.repo(REPO).issues[7], REPO)
    assert plan_for(connection, ticket, [ac_finding(ticket.key)]).is_empty


def test_split_key():
    assert split_key("o/r#12") == ("o/r", 12)
    with pytest.raises(ValueError):
        split_key("PROJ-12")


def test_a_used_up_rest_window_is_waited_out_before_the_next_write(fake_github, connect, clock):
    fake_github.add_issue(REPO)
    connection = connect()
    ticket = fetch_one(connection)
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(clock.now) + 30)}
    fake_github.inject(r"/repos/o/r/labels$", 200, method="GET", body=[], headers=headers)
    result = connection.apply(plan_for(connection, ticket, [ac_finding("o/r#1")]))
    assert result.error is None
    assert clock.sleeps == [31]
    assert any("rate limit used up" in note for note in clock.notes)


# -- at most one backlint comment ------------------------------------------------------------
def markers(fake_github, number=1):
    """backlint's comments as GitHub lists them: those whose body starts with the marker."""
    return [
        c
        for c in fake_github.comments_on(REPO, number)
        if (c["body"] or "").lstrip().startswith("<!-- backlint -->")
    ]


def test_duplicate_marker_comments_are_repaired_keeping_the_oldest(fake_github, connect):
    fake_github.add_issue(REPO, labels=["backlint:needs-work", "needs-acceptance-criteria"])
    stale = render_comment([ac_finding("o/r#1", "Old text.")])
    oldest = fake_github.add_comment(REPO, 1, stale, author="backlint[bot]", kind="Bot")
    fake_github.add_comment(REPO, 1, "> " + stale)  # a person quoting it: never backlint's
    twin = fake_github.add_comment(REPO, 1, render_comment([ac_finding("o/r#1")]))
    connection = connect()
    plan = plan_for(connection, fetch_one(connection), [ac_finding("o/r#1")])
    assert (plan.comment_action, plan.comment_id) == ("edit", str(oldest["id"]))
    assert plan.duplicate_ids == (str(twin["id"]),)
    assert "delete 1 duplicate backlint comment" in plan.describe()

    assert connection.apply(plan) == WriteResult("o/r#1", writes=2)

    [kept] = markers(fake_github)
    assert kept["id"] == oldest["id"] and "Add acceptance criteria." in kept["body"]
    assert len(fake_github.comments_on(REPO, 1)) == 2  # the person's quote stays
    fake_github.clear_log()
    rerun = connect()
    assert plan_for(rerun, fetch_one(rerun), [ac_finding("o/r#1")]).is_empty


def test_duplicates_beyond_the_bulk_window_are_found_by_the_rest_read(fake_github, connect):
    fake_github.add_issue(REPO, labels=["backlint:needs-work"])
    body = render_comment([ac_finding("o/r#1")])
    first = fake_github.add_comment(REPO, 1, body)
    second = fake_github.add_comment(REPO, 1, body)
    for index in range(12):
        fake_github.add_comment(REPO, 1, f"comment {index}")
    connection = connect(config={"github": {"write-delay": 0, "comments": 5}})
    ticket = fetch_one(connection)
    assert ticket.key not in connection.comments_seen
    state = connection.current_state(ticket, has_findings=True)
    assert state.comment == ExistingComment(
        str(first["id"]), parse_marker(body), (str(second["id"]),)
    )


def test_a_marker_at_the_edge_of_the_bulk_window_is_checked_over_rest(fake_github, connect):
    """The window shows one marker as its oldest comment; its racing twin sits just before."""
    fake_github.add_issue(REPO, labels=["backlint:needs-work"])
    body = render_comment([ac_finding("o/r#1")])
    first = fake_github.add_comment(REPO, 1, body)
    second = fake_github.add_comment(REPO, 1, body)
    for index in range(3):
        fake_github.add_comment(REPO, 1, f"comment {index}")
    connection = connect(config={"github": {"write-delay": 0, "comments": 4}})
    ticket = fetch_one(connection)
    assert ticket.key not in connection.comments_seen
    plan = plan_for(connection, ticket, [ac_finding("o/r#1")])
    assert plan.duplicate_ids == (str(second["id"]),) and plan.comment_action is None
    connection.apply(plan)
    assert [c["id"] for c in markers(fake_github)] == [first["id"]]


def test_a_comment_created_by_a_racing_run_first_wins_and_gets_this_runs_text(fake_github, connect):
    fake_github.add_issue(REPO)
    connection = connect()
    plan = plan_for(connection, fetch_one(connection), [ac_finding("o/r#1", "Newer text.")])
    assert plan.comment_action == "create"
    # Another run, started on older data, creates its comment after this run read the issue.
    other = fake_github.add_comment(REPO, 1, render_comment([ac_finding("o/r#1")]))

    result = connection.apply(plan)

    assert result.error is None
    [kept] = markers(fake_github)
    assert kept["id"] == other["id"] and "Newer text." in kept["body"]
    posts = fake_github.requests("POST", r"/issues/1/comments$")
    reads = fake_github.requests("GET", r"/issues/1/comments$")
    assert len(posts) == 1 and fake_github.log.index(reads[-1]) > fake_github.log.index(posts[0])


def test_a_comment_created_by_a_racing_run_after_this_ones_is_deleted(fake_github, connect):
    fake_github.add_issue(REPO)
    connection = connect()
    plan = plan_for(connection, fetch_one(connection), [ac_finding("o/r#1")])
    racing: list[dict] = []

    def race(request):
        if request.method == "POST" and request.path.endswith("/issues/1/comments"):
            fake_github.on_answer = None
            racing.append(fake_github.add_comment(REPO, 1, request.body["body"]))

    fake_github.on_answer = race
    assert connection.apply(plan).error is None
    [kept] = markers(fake_github)
    assert racing and kept["id"] < racing[0]["id"]  # this run's comment, the older one
    assert fake_github.requests("DELETE", rf"/issues/comments/{racing[0]['id']}$")


def test_editing_an_existing_comment_needs_no_second_read(fake_github, connect):
    fake_github.add_issue(REPO)
    connection = connect()
    connection.apply(plan_for(connection, fetch_one(connection), [ac_finding("o/r#1")]))
    ticket = fetch_one(connection)
    fake_github.clear_log()
    connection.apply(plan_for(connection, ticket, [ac_finding("o/r#1", "Other text.")]))
    assert [r.method for r in fake_github.log] == ["PATCH"]
