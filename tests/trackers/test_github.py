"""The GitHub tracker against the fake GitHub: reads, comment lookup, write-back, faults."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from fakes.github_server import TOKEN

from backlint.config.config import Config
from backlint.errors import SourceError, TrackerError
from backlint.model import Finding, Severity
from backlint.trackers.base import FetchOptions
from backlint.trackers.github.paging import fetch_issue_nodes
from backlint.trackers.github.tracker import GitHubTracker, parse_source
from backlint.writeback.contract import ExistingComment, parse_marker
from backlint.writeback.planner import render_comment

REPO = "o/r"


def finding(key: str, rule: str = "BL201", family: str = "acceptance-criteria") -> Finding:
    return Finding(key, rule, "missing-acceptance-criteria", family, Severity.WARNING, "Add AC.")


# -- source, auth ------------------------------------------------------------------------------
def test_claims_github_sources_only():
    tracker = GitHubTracker()
    assert tracker.claims("github:o/r") and tracker.claims("github:o/r#3")
    assert not tracker.claims("jira:PROJ") and not tracker.claims("issues.json")


@pytest.mark.parametrize("source", ["github:o", "github:o/r#x", "github:/r", "github:o/r/s"])
def test_malformed_source_is_a_source_error(source):
    with pytest.raises(SourceError, match="github:OWNER/REPO"):
        parse_source(source)


def test_missing_token_is_one_clear_error():
    with pytest.raises(TrackerError, match="set GITHUB_TOKEN or GH_TOKEN"):
        GitHubTracker().open("github:o/r", Config(), env={})


def test_gh_token_is_accepted_and_never_shown(fake_github, clock):
    env = {**fake_github.env(), "GITHUB_TOKEN": "", "GH_TOKEN": "ghp_not_the_right_one"}
    connection = GitHubTracker().open("github:o/r", Config(), env=env, pacer=clock.pacer())
    with pytest.raises(TrackerError) as caught:
        list(connection.fetch(FetchOptions()))
    assert "401" in str(caught.value)
    assert "ghp_not_the_right_one" not in str(caught.value)
    assert fake_github.log[0].authorized is False


def test_app_id_without_private_key_names_the_variables(fake_github):
    config = Config(settings={"github": {"app-id": 12}})
    with pytest.raises(TrackerError, match="GITHUB_APP_PRIVATE_KEY"):
        GitHubTracker().open("github:o/r", config, env={"GITHUB_TOKEN": TOKEN})


# -- bulk reads --------------------------------------------------------------------------------
def test_fetch_maps_everything_the_rules_need(fake_github, connect):
    fake_github.add_issue(REPO, title="Epic: exports", number=1)
    fake_github.add_issue(
        REPO,
        number=2,
        title="Export CSV",
        body="## Acceptance criteria\n- [ ] works",
        labels=["P1", "bug"],
        milestone="v1.0",
        assignees=["alice"],
        author="dependabot[bot]",
        author_type="Bot",
        parent=1,
        priority="High",
    )
    fake_github.add_comment(REPO, 2, "Looks good", author="bob")
    connection = connect()
    [epic, story] = list(connection.fetch(FetchOptions()))
    assert story.key == "o/r#2" and story.tracker == "github"
    assert story.labels == ("P1", "bug") and story.assignees == ("alice",)
    assert story.milestone == "v1.0" and story.fields["milestone_state"] == "open"
    assert story.parent == "o/r#1"
    assert story.priority.name == "High" and story.priority.source == "field"
    assert story.reporter == "dependabot[bot]"
    assert [(a.kind, a.actor, a.is_bot) for a in story.activity] == [
        ("created", "dependabot[bot]", True),
        ("comment", "bob", False),
    ]
    assert "- [ ] works" in story.body
    assert epic.fields["sub_issues"] == {"total": 1, "completed": 0}
    assert "backlint_comment" not in story.fields  # write-back state stays in the connection
    assert connection.comments_seen[story.key] is None  # all comments seen: none is backlint's


def test_fetch_pages_by_100_excludes_pull_requests_and_reports_progress(fake_github, connect):
    for number in range(1, 251):
        fake_github.add_issue(REPO, title=f"Issue {number}", pull_request=number % 50 == 0)
    seen: list[tuple[int, int | None]] = []
    tickets = list(connect().fetch(FetchOptions(), lambda n, total: seen.append((n, total))))
    assert len(tickets) == 245
    assert len({t.key for t in tickets}) == 245
    assert len(fake_github.requests("POST", "/api/graphql")) == 3  # ceil(245 / 100)
    assert seen[0] == (1, 245) and len(seen) == 245


def test_limit_stops_early_and_asks_only_for_what_it_needs(fake_github, connect):
    for number in range(1, 301):
        fake_github.add_issue(REPO, title=f"Issue {number}")
    tickets = list(connect().fetch(FetchOptions(limit=150)))
    assert [t.key for t in tickets][-1] == "o/r#150" and len(tickets) == 150
    sizes = [r.body["variables"]["pageSize"] for r in fake_github.requests("POST", "graphql")]
    assert sizes == [100, 50]


def test_filters_state_labels_since_and_milestone(fake_github, connect):
    fake_github.add_issue(REPO, title="a", labels=["ui", "bug"], milestone="v2")
    fake_github.add_issue(REPO, title="b", labels=["ui"], updated_at="2026-03-01T00:00:00Z")
    fake_github.add_issue(REPO, title="c", state="closed", labels=["ui", "bug"])
    connection = connect()
    keys = lambda **kw: [t.key for t in connection.fetch(FetchOptions(**kw))]  # noqa: E731
    assert keys() == ["o/r#1", "o/r#2"]
    assert keys(state="all") == ["o/r#1", "o/r#2", "o/r#3"]
    assert keys(state="closed") == ["o/r#3"]
    assert keys(labels=("ui", "bug")) == ["o/r#1"]  # all labels, not any
    assert keys(since=datetime(2026, 2, 1, tzinfo=UTC)) == ["o/r#2"]
    assert keys(milestone="v2") == ["o/r#1"]
    with pytest.raises(TrackerError, match="no milestone titled 'v9'"):
        keys(milestone="v9")


def test_unknown_repository_is_a_tracker_error(fake_github, connect):
    with pytest.raises(TrackerError, match="o/nope not found"):
        list(connect("github:o/nope").fetch(FetchOptions()))


def test_issue_type_is_dropped_where_the_server_lacks_it(fake_github, connect):
    fake_github.issue_types = False
    fake_github.add_issue(REPO, title="a")
    assert [t.key for t in connect().fetch(FetchOptions())] == ["o/r#1"]
    queries = [r.body["query"] for r in fake_github.requests("POST", "graphql")]
    assert ["issueType" in q for q in queries] == [True, False]


def test_projects_refused_to_the_workflow_token_is_a_note_not_a_failure(
    fake_github, connect, clock
):
    fake_github.projects_forbidden = True
    for number in range(1, 151):
        fake_github.add_issue(REPO, title=f"Issue {number}", priority="High")
    tickets = list(connect().fetch(FetchOptions()))
    assert len(tickets) == 150 and tickets[0].priority is None
    assert any("cannot read Projects" in note for note in clock.notes)
    queries = [r.body["query"] for r in fake_github.requests("POST", "graphql")]
    assert ["projectItems" in q for q in queries] == [True, False]


def test_other_graphql_errors_under_200_carry_githubs_message(fake_github, connect):
    fake_github.inject(
        "/api/graphql", 200, body={"errors": [{"message": "Something went wrong XYZ"}]}
    )
    fake_github.add_issue(REPO)
    with pytest.raises(TrackerError, match="GitHub GraphQL error: Something went wrong XYZ"):
        list(connect().fetch(FetchOptions()))


# -- faults on reads ---------------------------------------------------------------------------
def test_secondary_rate_limit_waits_as_told_then_resumes(fake_github, connect, clock):
    fake_github.add_issue(REPO)
    fake_github.inject_rate_limit("/api/graphql", retry_after=7)
    assert len(list(connect().fetch(FetchOptions()))) == 1
    assert clock.sleeps == [7]
    assert "secondary rate limit" in clock.notes[0]


def test_primary_limit_waits_until_reset(fake_github, connect, clock):
    fake_github.add_issue(REPO)
    fault = fake_github.inject_rate_limit("/api/graphql", kind="primary", status=429)
    fault.headers["x-ratelimit-reset"] = str(int(clock.now) + 120)
    assert len(list(connect().fetch(FetchOptions()))) == 1
    assert clock.sleeps == [121]


def test_graphql_rate_limited_under_200_is_waited_out(fake_github, connect, clock):
    fake_github.add_issue(REPO)
    body = {"errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded"}]}
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(clock.now) + 10)}
    fake_github.inject("/api/graphql", 200, body=body, headers=headers)
    assert len(list(connect().fetch(FetchOptions()))) == 1
    assert clock.sleeps == [11]


def test_5xx_and_dropped_connections_are_retried_with_backoff(fake_github, connect, clock):
    fake_github.add_issue(REPO)
    fake_github.inject("/api/graphql", 502)
    fake_github.inject("/api/graphql", drop=True)
    assert len(list(connect().fetch(FetchOptions()))) == 1
    assert clock.sleeps == [1, 2]


def test_reads_give_up_after_a_few_tries(fake_github, connect, clock):
    fake_github.inject("/api/graphql", 503, times=10)
    with pytest.raises(TrackerError, match="HTTP 503"):
        list(connect().fetch(FetchOptions()))
    assert clock.sleeps == [1, 2, 4, 8]


def test_a_reset_too_far_away_fails_clearly_instead_of_hanging(fake_github, connect, clock):
    fault = fake_github.inject_rate_limit("/api/graphql", kind="primary")
    fault.headers["x-ratelimit-reset"] = str(int(clock.now) + 3000)
    with pytest.raises(TrackerError, match="rate limit reached; try again after"):
        list(connect().fetch(FetchOptions()))
    assert clock.sleeps == []


# -- single reads ------------------------------------------------------------------------------
def test_fetch_one_reads_one_issue_over_rest(fake_github, connect):
    fake_github.add_issue(REPO, title="Export CSV", labels=["bug"], number=12)
    fake_github.add_issue(REPO, title="A PR", number=13, pull_request=True)
    connection = connect("github:o/r#12")
    ticket = connection.fetch_one("github:o/r#12")
    assert ticket.key == "o/r#12" and ticket.labels == ("bug",)
    assert [r.path for r in fake_github.log] == ["/api/v3/repos/o/r/issues/12"]
    with pytest.raises(TrackerError, match="pull request"):
        connection.fetch_one("github:o/r#13")
    with pytest.raises(TrackerError, match="o/r#99 not found"):
        connection.fetch_one("github:o/r#99")


# -- current state -----------------------------------------------------------------------------
def test_current_state_uses_the_bulk_read_without_requests(fake_github, connect):
    fake_github.add_issue(REPO, labels=["backlint:needs-work"])
    fake_github.add_comment(REPO, 1, "Hello @someone")
    marker = fake_github.add_comment(REPO, 1, render_comment([finding("o/r#1")]))
    connection = connect()
    [ticket] = connection.fetch(FetchOptions())
    fake_github.clear_log()
    state = connection.current_state(ticket, has_findings=True)
    digest = parse_marker(render_comment([finding("o/r#1")]))
    assert state.comment == ExistingComment(str(marker["id"]), digest)
    assert state.labels == ("backlint:needs-work",)
    assert fake_github.log == []


def test_the_bulk_read_reports_duplicates_when_it_sees_every_comment(fake_github, connect):
    fake_github.add_issue(REPO, labels=["backlint:needs-work"])
    body = render_comment([finding("o/r#1")])
    first = fake_github.add_comment(REPO, 1, body)
    fake_github.add_comment(REPO, 1, "Hello")
    second = fake_github.add_comment(REPO, 1, body)
    connection = connect()
    [ticket] = connection.fetch(FetchOptions())
    fake_github.clear_log()
    state = connection.current_state(ticket, has_findings=True)
    assert state.comment == ExistingComment(
        str(first["id"]), parse_marker(body), (str(second["id"]),)
    )
    assert fake_github.log == []


def test_duplicates_seen_in_a_partial_window_leave_the_answer_to_rest(fake_github, connect):
    fake_github.add_issue(REPO, labels=["backlint:needs-work"])
    body = render_comment([finding("o/r#1")])
    for index in range(3):
        fake_github.add_comment(REPO, 1, f"comment {index}")
    fake_github.add_comment(REPO, 1, "Hello")
    fake_github.add_comment(REPO, 1, body)
    fake_github.add_comment(REPO, 1, body)
    connection = connect(config={"github": {"write-delay": 0, "comments": 3}})
    [ticket] = connection.fetch(FetchOptions())
    assert ticket.key not in connection.comments_seen


def test_current_state_reads_comments_beyond_the_bulk_window_only_when_needed(fake_github, connect):
    fake_github.add_issue(REPO, title="flagged", labels=["needs-clarity"])
    fake_github.add_issue(REPO, title="clean, no label")
    markers = {}
    for number in (1, 2):
        body = render_comment([finding(f"o/r#{number}")])
        markers[number] = fake_github.add_comment(REPO, number, body)
        for index in range(150):
            fake_github.add_comment(REPO, number, f"comment {index}")
    connection = connect(config={"github": {"write-delay": 0, "comments": 5}})
    flagged, clean = connection.fetch(FetchOptions())
    assert flagged.key not in connection.comments_seen
    fake_github.clear_log()
    assert connection.current_state(clean, has_findings=False).comment is None
    assert fake_github.log == []  # no managed label, no findings: nothing to look for
    state = connection.current_state(flagged, has_findings=False)
    assert state.comment is not None and state.comment.id == str(markers[1]["id"])
    assert len(fake_github.requests("GET", "/comments$")) == 2  # 151 comments, 100 a page


def test_a_quoted_marker_in_someone_elses_comment_is_not_backlints(fake_github, connect):
    fake_github.add_issue(REPO)
    fake_github.add_comment(REPO, 1, "> quoting\n" + render_comment([finding("o/r#1")]))
    connection = connect()
    [ticket] = connection.fetch(FetchOptions())
    assert connection.comments_seen[ticket.key] is None


def test_a_whole_backlog_is_read_from_both_ends_without_overlap(fake_github, connect):
    for number in range(1, 1051):
        fake_github.add_issue(REPO, title=f"Issue {number}")
    tickets = list(connect().fetch(FetchOptions()))
    assert [t.key for t in tickets] == [f"o/r#{n}" for n in range(1, 1051)]  # oldest first
    sent = [r.body["variables"] for r in fake_github.requests("POST", "graphql")]
    assert len(sent) == 11  # ceil(1050 / 100)
    assert {v["direction"] for v in sent} == {"ASC", "DESC"}
    assert sum(v["pageSize"] for v in sent) == 1050


def test_read_streams_1_reads_one_page_at_a_time_oldest_first(fake_github, connect):
    for number in range(1, 251):
        fake_github.add_issue(REPO, title=f"Issue {number}")
    config = {"github": {"write-delay": 0, "read-streams": 1}}
    assert len(list(connect(config=config).fetch(FetchOptions()))) == 250
    sent = [r.body["variables"] for r in fake_github.requests("POST", "graphql")]
    assert [(v["direction"], v["pageSize"]) for v in sent] == [("ASC", 100)] * 3


def test_github_app_installation_auth(fake_github, clock):
    rsa = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.rsa")
    serialization = pytest.importorskip("cryptography.hazmat.primitives.serialization")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    fake_github.add_issue(REPO, title="a")
    env = {**fake_github.env(), "GITHUB_TOKEN": "", "GITHUB_APP_PRIVATE_KEY": pem}
    config = Config(settings={"github": {"app-id": 1, "write-delay": 0}})
    connection = GitHubTracker().open("github:o/r", config, env=env, pacer=clock.pacer())
    assert [t.key for t in connection.fetch(FetchOptions())] == ["o/r#1"]
    assert fake_github.installation_tokens == 1
    assert [r.path for r in fake_github.log][:2] == [
        "/api/v3/repos/o/r/installation",
        "/api/v3/app/installations/4242/access_tokens",
    ]
    assert all(r.authorized for r in fake_github.requests("POST", "graphql"))
    connection.close()


def test_the_next_pages_are_asked_for_before_a_page_is_mapped(fake_github, connect):
    for number in range(1, 401):
        fake_github.add_issue(REPO, title=f"Issue {number}")
    connection = connect()
    asked_while_mapping: list[int] = []

    def slow_map(node):
        if not asked_while_mapping:  # the first page: wait (up to 5 s) for the next requests
            deadline = time.monotonic() + 5
            while len(fake_github.requests("POST", "graphql")) < 3 and time.monotonic() < deadline:
                time.sleep(0.01)
            asked_while_mapping.append(len(fake_github.requests("POST", "graphql")))
        return node["number"]

    numbers = fetch_issue_nodes(
        connection.graphql, "o", "r", FetchOptions(), connection.shape, transform=slow_map
    )
    assert list(numbers) == list(range(1, 401))
    # The first page, and both chains' next pages asked for while it was being mapped: the
    # chains do not wait for the mapping (here they may even have read everything).
    assert asked_while_mapping[0] >= 3
    assert len(fake_github.requests("POST", "graphql")) == 4
