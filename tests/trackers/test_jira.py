"""The Jira tracker against the fake Jira, both dialects: reads, paging, fields, write-back
cycles, faults, and the command line."""

from __future__ import annotations

import json
import math
import re

import pytest
from click.testing import CliRunner
from fakes.jira_payloads import make_issue
from fakes.jira_server import (
    CLOUD_EMAIL,
    CLOUD_TOKEN,
    DC_PAT,
    FakeJira,
    environ_for,
)

from backlint.audit import apply_plans, plan_writeback
from backlint.audit import run as run_audit
from backlint.cli.main import cli
from backlint.config.config import Config, config_from_mapping
from backlint.errors import ConfigError, SourceError, TrackerError
from backlint.plugins import load_plugins
from backlint.testing import TEST_NOW
from backlint.trackers.base import FetchOptions
from backlint.trackers.jira.tracker import BASE_FIELDS, JiraSource, JiraTracker, build_jql
from backlint.writeback.contract import parse_marker

GOOD_AC = ("## Acceptance criteria", "- The date shows under each item|It updates on change")


WRITEBACK_FAMILIES = ["BL1", "BL2", "BL3", "BL4"]


def backlog(cloud: bool) -> list[dict]:
    """Three issues: one with several problems, one with one, one clean."""
    project = "SHOP" if cloud else "OPS"
    story = "As a shopper I want to see delivery dates so that I can plan my week."
    return [
        make_issue(
            f"{project}-1",
            cloud=cloud,
            summary="update",
            description=(story,),
            priority=None,
            labels=("team-a",),
        ),
        make_issue(
            f"{project}-2",
            cloud=cloud,
            summary="Show delivery dates in the cart",
            description=(story,),
        ),
        make_issue(
            f"{project}-3",
            cloud=cloud,
            summary="Show delivery dates at checkout",
            description=(story, *GOOD_AC),
        ),
        make_issue(f"{project}-4", cloud=cloud, summary="An old finished story", status="done"),
    ]


@pytest.fixture(params=["cloud", "dc"])
def fake(request):
    with FakeJira(dialect=request.param) as server:
        server.add_issues(backlog(server.cloud))
        yield server


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def tracker_for(fake: FakeJira, sleeps: Sleeps | None = None) -> JiraTracker:
    return JiraTracker(environ=environ_for(fake), sleep=sleeps if sleeps is not None else Sleeps())


def run(
    fake: FakeJira,
    apply: bool,
    config: Config | None = None,
    source: str | None = None,
    options: FetchOptions | None = None,
):
    """One audit through the shared pipeline, optionally applied; returns the Audit.

    The ticket-text families only: these tickets share a story on purpose, and the write-back
    cycle must not depend on the duplicate and staleness rules.
    """
    config = config or config_from_mapping({"select": WRITEBACK_FAMILIES})
    registry = load_plugins()
    registry.trackers.insert(0, tracker_for(fake))
    source = source or ("jira:SHOP" if fake.cloud else "jira:OPS")
    with run_audit(source, config, registry, options or FetchOptions(), now=TEST_NOW) as result:
        plan_writeback(result, config, None)
        if apply:
            apply_plans(result)
    return result


# -- sources and JQL ------------------------------------------------------------------------


def test_claims_jira_sources_only():
    tracker = JiraTracker(environ={})
    assert tracker.claims("jira:SHOP") and tracker.claims("jira:SHOP-12")
    assert not tracker.claims("github:o/r") and not tracker.claims("examples/jira-search.json")


@pytest.mark.parametrize(
    ("source", "project", "key"),
    [("jira:SHOP", "SHOP", None), ("jira:shop-12", "SHOP", "SHOP-12"), ("jira:", None, None)],
)
def test_source_parsing(source, project, key):
    assert JiraSource.parse(source) == JiraSource(project, key)


@pytest.mark.parametrize("source", ["jira:-12", "jira:SH OP", "jira:12"])
def test_bad_source_is_a_source_error(source):
    with pytest.raises(SourceError, match="expected jira:PROJECT"):
        JiraSource.parse(source)


def test_jql_for_project_issue_and_narrowing_query():
    project = JiraSource("SHOP", None)
    assert build_jql(project, FetchOptions()) == (
        'project = "SHOP" AND statusCategory != Done ORDER BY key ASC'
    )
    assert build_jql(project, FetchOptions(state="all")) == 'project = "SHOP" ORDER BY key ASC'
    assert build_jql(project, FetchOptions(query="labels = x ORDER BY updated DESC")) == (
        'project = "SHOP" AND (labels = x) ORDER BY updated DESC'
    )
    assert build_jql(JiraSource(None, None), FetchOptions(query="key = A-1")) == "key = A-1"
    assert build_jql(JiraSource("SHOP", "SHOP-3"), FetchOptions()) == 'key = "SHOP-3"'
    with pytest.raises(SourceError, match="no project"):
        build_jql(JiraSource(None, None), FetchOptions())


# -- reads ----------------------------------------------------------------------------------


def test_audit_reads_open_issues_with_the_dialects_search(fake):
    result = run(fake, apply=False)
    assert sorted(t.key for t in result.tickets) == [
        f"{k}-{n}" for k in ["SHOP" if fake.cloud else "OPS"] for n in (1, 2, 3)
    ]
    paths = [(r.method, r.path.split("?")[0]) for r in fake.log]
    search = "/rest/api/3/search/jql" if fake.cloud else "/rest/api/2/search"
    assert paths == [
        ("GET", "/rest/api/2/serverInfo"),
        ("GET", f"/rest/api/{'3' if fake.cloud else '2'}/field"),
        ("GET", search),
    ]
    assert fake.requests(path=r"^search$") == [] or not fake.cloud
    query = fake.log[-1].query
    requested = query["fields"][0].split(",")
    assert set(BASE_FIELDS) <= set(requested) and "*all" not in requested
    custom = (
        {"customfield_10016", "customfield_10020", "customfield_10014"}
        if fake.cloud
        else {"customfield_10002", "customfield_10008", "customfield_10007"}
    )
    assert custom <= set(requested)
    assert "statusCategory != Done" in query["jql"][0]


def test_auth_is_basic_on_cloud_and_bearer_pat_on_data_center(fake):
    run(fake, apply=False)
    if fake.cloud:
        assert {(r.auth, r.user) for r in fake.log} == {("basic", CLOUD_EMAIL)}
    else:
        assert {r.auth for r in fake.log} == {"bearer"}


def test_mapping_reads_parent_labels_and_text(fake):
    tickets = {t.key: t for t in run(fake, apply=False).tickets}
    first = tickets["SHOP-1" if fake.cloud else "OPS-1"]
    assert first.parent == "EPIC-1"
    assert first.labels == ("team-a",)
    assert first.body.startswith("As a shopper")
    assert first.url == f"{fake.url}/browse/{first.key}"
    assert "Acceptance criteria" in tickets["SHOP-3" if fake.cloud else "OPS-3"].body


@pytest.mark.parametrize("dialect", ["cloud", "dc"])
def test_paging_uses_ceil_n_over_page_requests(dialect):
    with FakeJira(dialect=dialect, max_page=10) as fake:
        fake.add_issues(
            make_issue(f"BIG-{n}", cloud=fake.cloud, summary=f"Story number {n} here")
            for n in range(1, 96)
        )
        result = run(fake, apply=False, source="jira:BIG")
        assert len(result.tickets) == 95
        searches = fake.requests("GET", r"^search")
        assert len(searches) == math.ceil(95 / 10)
        assert len(fake.log) == len(searches) + 2  # serverInfo and field
        if fake.cloud:
            assert "nextPageToken" not in searches[0].query
            assert all("nextPageToken" in s.query for s in searches[1:])
        else:
            assert [s.query["startAt"][0] for s in searches] == [str(n) for n in range(0, 95, 10)]


def test_configured_field_ids_win_and_skip_field_discovery():
    with FakeJira(dialect="cloud") as fake:
        fake.add_issue(make_issue("SHOP-1", cloud=True, summary="Show delivery dates in cart"))
        fake.issues["SHOP-1"]["fields"]["customfield_777"] = 5
        fields = {
            "story_points": "customfield_777",
            "epic_link": "customfield_1",
            "sprint": "customfield_2",
            "acceptance_criteria": "customfield_3",
        }
        config = config_from_mapping({"jira": {"fields": fields}})
        result = run(fake, apply=False, config=config)
        assert fake.requests(path="^field$") == []
        assert result.tickets[0].estimate == 5.0
        requested = fake.requests(path="search")[0].query["fields"][0].split(",")
        assert "customfield_777" in requested and "customfield_10016" not in requested


def test_renamed_custom_field_is_found_by_its_type():
    with FakeJira(dialect="dc") as fake:
        fake.extra_fields.append(
            {
                "id": "customfield_12345",
                "name": "Punkte",
                "custom": True,
                "schema": {"custom": "com.pyxis.greenhopper.jira:jsw-story-points"},
            }
        )
        fake.add_issue(make_issue("OPS-1", cloud=False, summary="Rotate the payment keys"))
        fake.issues["OPS-1"]["fields"]["customfield_12345"] = 3
        assert run(fake, apply=False).tickets[0].estimate == 3.0


def test_jql_option_narrows_the_project(fake):
    project = "SHOP" if fake.cloud else "OPS"
    result = run(fake, apply=False, options=FetchOptions(query="labels = team-a"))
    assert [t.key for t in result.tickets] == [f"{project}-1"]
    assert (
        fake.log[-1].query["jql"][0]
        == f'project = "{project}" AND (labels = team-a) ORDER BY key ASC'
    )


def test_jql_error_carries_jiras_message(fake):
    with pytest.raises(TrackerError) as caught:
        run(fake, apply=False, options=FetchOptions(query="colour = red"))
    message = str(caught.value)
    assert "Field 'colour' does not exist" in message and "JQL" in message
    assert CLOUD_TOKEN not in message and DC_PAT not in message


def test_fetch_one_reads_a_single_issue(fake):
    key = "SHOP-2" if fake.cloud else "OPS-2"
    result = run(fake, apply=False, source=f"jira:{key}")
    assert [t.key for t in result.tickets] == [key]


def test_check_one_issue_and_missing_issue(fake):
    config = Config()
    registry = load_plugins()
    registry.trackers.insert(0, tracker_for(fake))
    key = "SHOP-2" if fake.cloud else "OPS-2"
    with run_audit(f"jira:{key}", config, registry, now=TEST_NOW, single=True) as result:
        assert [t.key for t in result.tickets] == [key]
        assert fake.log[-1].path.endswith(f"/issue/{key}")
    missing = run_audit(f"jira:{key[:-2]}-99", config, registry, single=True)
    with pytest.raises(TrackerError, match=r"no issue .*-99"), missing:
        pass


# -- write-back cycle -----------------------------------------------------------------------


def test_full_cycle_audit_apply_fix_apply_apply(fake):
    project = "SHOP" if fake.cloud else "OPS"
    first = run(fake, apply=False)
    assert first.plans and fake.writes() == []  # a dry run writes nothing

    applied = run(fake, apply=True)
    with_findings = {f.ticket for f in applied.findings}
    assert with_findings == {f"{project}-1", f"{project}-2"}
    assert all(r.error is None for r in applied.results)
    assert sum(r.writes for r in applied.results) == 2 * len(with_findings)
    for key in with_findings:
        [comment] = fake.marker_comments(key)
        assert isinstance(comment["body"], dict if fake.cloud else str)
        assert "backlint:needs-work" in fake.labels(key)
    assert fake.labels(f"{project}-1")[0] == "team-a"
    label_puts = fake.requests("PUT", r"^issue/[^/]+$")
    assert all(set(r.body) == {"update"} for r in label_puts)  # never a replaced label set
    assert fake.marker_comments(f"{project}-3") == []

    # A person fixes one ticket fully and adds a label of their own to the other.
    fake.edit(f"{project}-2", description=backlog(fake.cloud)[2]["fields"]["description"])
    fake.edit(f"{project}-1", labels=[*fake.labels(f"{project}-1"), "customer-request"])
    fake.log.clear()
    fixed = run(fake, apply=True)
    assert {f.ticket for f in fixed.findings} == {f"{project}-1"}
    [note] = fake.marker_comments(f"{project}-2")
    assert "all checks pass" in json.dumps(note["body"])
    assert "backlint:needs-work" not in fake.labels(f"{project}-2")
    assert "customer-request" in fake.labels(f"{project}-1")  # the person's label survives
    assert [(r.method, r.api_path) for r in fake.writes()] == [
        ("PUT", f"issue/{project}-2/comment/{note['id']}"),
        ("PUT", f"issue/{project}-2"),
    ]

    fake.log.clear()
    again = run(fake, apply=True)
    assert again.plans == [] and fake.writes() == []


def test_on_clean_delete_removes_the_comment():
    with FakeJira(dialect="cloud") as fake:
        fake.add_issues(backlog(True))
        config = config_from_mapping(
            {"select": WRITEBACK_FAMILIES, "writeback": {"on-clean": "delete"}}
        )
        run(fake, apply=True, config=config)
        fake.edit("SHOP-2", description=backlog(True)[2]["fields"]["description"])
        run(fake, apply=True, config=config)
        assert fake.marker_comments("SHOP-2") == []
        assert fake.requests("DELETE")


def test_truncated_comment_list_is_read_in_full():
    with FakeJira(dialect="dc", embed_comments=0) as fake:
        fake.add_issues(backlog(False))
        run(fake, apply=True)
        fake.log.clear()
        again = run(fake, apply=True)
        assert fake.writes() == [] and again.plans == []
        assert fake.requests("GET", r"/comment$")  # the marker was found on a comment page


def test_comment_deleted_by_a_person_is_written_again():
    with FakeJira(dialect="cloud") as fake:
        fake.add_issues(backlog(True))
        run(fake, apply=True)
        fake.comments["SHOP-1"].clear()
        run(fake, apply=True)
        assert len(fake.marker_comments("SHOP-1")) == 1


# -- faults ---------------------------------------------------------------------------------


def test_rate_limit_and_server_errors_on_reads_are_waited_out():
    with FakeJira(dialect="cloud") as fake:
        fake.add_issues(backlog(True))
        fake.fail("GET", "^search/jql", 429, {"Retry-After": "7"})
        fake.fail("GET", "^search/jql", 502)
        fake.fail("GET", "^search/jql", None)  # dropped connection
        sleeps = Sleeps()
        connection = tracker_for(fake, sleeps).open("jira:SHOP", Config())
        tickets = list(connection.fetch(FetchOptions()))
        assert len(tickets) == 3
        assert sleeps == [7.0, 2.0, 4.0]
        assert len(fake.requests("GET", "^search/jql")) == 4


def test_persistent_server_error_becomes_a_tracker_error():
    with FakeJira(dialect="dc") as fake:
        fake.fail("GET", "^search", 500, times=10)
        sleeps = Sleeps()
        connection = tracker_for(fake, sleeps).open("jira:OPS", Config())
        with pytest.raises(TrackerError, match="HTTP 500 on GET search"):
            list(connection.fetch(FetchOptions()))
        assert len(sleeps) == 4


def test_failed_write_is_reported_per_ticket_and_a_rerun_converges(fake):
    project = "SHOP" if fake.cloud else "OPS"
    fake.fail("POST", f"^issue/{project}-1/comment$", 500)
    first = run(fake, apply=True)
    errors = {r.ticket: r.error for r in first.results}
    assert "HTTP 500" in errors[f"{project}-1"] and errors[f"{project}-2"] is None
    assert len(fake.requests("POST", f"^issue/{project}-1/comment$")) == 1  # POST not repeated
    run(fake, apply=True)
    assert len(fake.marker_comments(f"{project}-1")) == 1
    fake.log.clear()
    assert run(fake, apply=True).plans == [] and fake.writes() == []


def test_dropped_post_is_not_repeated_and_label_put_is_retried():
    with FakeJira(dialect="cloud") as fake:
        fake.add_issues(backlog(True))
        fake.fail("POST", "^issue/SHOP-1/comment$", None)
        fake.fail("PUT", "^issue/SHOP-2$", 503, {"Retry-After": "1"})
        result = run(fake, apply=True)
        outcome = {r.ticket: r for r in result.results}
        assert "connection" in outcome["SHOP-1"].error
        assert outcome["SHOP-2"].error is None and outcome["SHOP-2"].writes == 2
        assert len(fake.requests("POST", "^issue/SHOP-1/comment$")) == 1


# -- command line ---------------------------------------------------------------------------


def invoke(args, env):
    # Alternative credentials a developer's shell may hold must not leak into a test.
    env = {"JIRA_USERNAME": None, "JIRA_PASSWORD": None, **env}
    return CliRunner().invoke(cli, args, env=env, catch_exceptions=False)


def test_cli_audit_dry_run_then_apply(fake, monkeypatch):
    project = "SHOP" if fake.cloud else "OPS"
    env = environ_for(fake)
    result = invoke(["audit", f"jira:{project}", "--now", "2026-11-22"], env)
    assert result.exit_code == 1, result.output
    assert "Write-back plan (dry run" in result.output and fake.writes() == []
    result = invoke(["audit", f"jira:{project}", "--apply", "--format", "json"], env)
    report = json.loads(result.stdout)
    assert {f["ticket"] for f in report["findings"]} == {f"{project}-1", f"{project}-2"}
    assert len(fake.writes()) == 4
    result = invoke(["check", f"jira:{project}-3"], env)
    assert result.exit_code == 0


def test_cli_missing_settings_is_one_line_exit_2():
    result = invoke(["audit", "jira:SHOP"], {"JIRA_URL": "https://acme.atlassian.net"})
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "JIRA_EMAIL + JIRA_API_TOKEN" in result.output and "Traceback" not in result.output


def test_cli_bad_credentials_never_echo_the_token():
    with FakeJira(dialect="cloud") as fake:
        env = {"JIRA_URL": fake.url, "JIRA_PAT": "pat-SECRET-99"}  # Cloud refuses Bearer
        result = invoke(["audit", "jira:SHOP"], env)
        assert result.exit_code == 2
        assert "refused the credentials" in result.output
        assert "SECRET" not in result.output


def test_cli_jql_error_exit_2_with_jiras_message(fake):
    project = "SHOP" if fake.cloud else "OPS"
    result = invoke(["audit", f"jira:{project}", "--jql", "colour = red"], environ_for(fake))
    assert result.exit_code == 2
    assert "Field 'colour' does not exist" in result.output


def test_cli_limit_caps_changed_tickets(fake):
    project = "SHOP" if fake.cloud else "OPS"
    result = invoke(["audit", f"jira:{project}", "--apply", "--limit", "1"], environ_for(fake))
    assert "--limit held them back" in result.output
    assert len({r.api_path.split("/")[1] for r in fake.writes()}) == 1


def test_unknown_jira_config_key_is_a_config_error(fake):
    config = config_from_mapping({"jira": {"page_size": 10}})
    with pytest.raises(ConfigError, match=r"\[jira\]: unknown key 'page_size'"):
        tracker_for(fake).open("jira:SHOP", config)
    assert fake.log == []  # rejected before any request


def test_progress_reports_each_page(fake):
    fake.max_page = 2
    seen = []
    connection = tracker_for(fake).open("jira:SHOP" if fake.cloud else "jira:OPS", Config())
    tickets = list(
        connection.fetch(FetchOptions(), progress=lambda n, total: seen.append((n, total)))
    )
    connection.close()
    assert [n for n, _ in seen] == [2, 1] and len(tickets) == 3
    assert {total for _, total in seen} == ({None} if fake.cloud else {3})


def test_fetch_limit_stops_reading_early(fake):
    fake.max_page = 1
    connection = tracker_for(fake).open("jira:SHOP" if fake.cloud else "jira:OPS", Config())
    tickets = list(connection.fetch(FetchOptions(limit=2)))
    connection.close()
    assert len(tickets) == 2
    assert len(fake.requests("GET", "^search")) <= 3  # two pages, at most one read ahead


def test_a_reply_quoting_backlints_comment_is_never_taken_over(fake):
    """Jira quotes a comment verbatim, marker line included; only a comment that starts with
    the marker is backlint's, so the person's reply is left alone and the marker comment found."""
    project = "SHOP" if fake.cloud else "OPS"
    key = f"{project}-1"
    run(fake, apply=True)
    [ours] = fake.marker_comments(key)
    quoted = json.dumps(ours["body"]) if fake.cloud else ours["body"]
    reply_text = f"I disagree with this: {quoted}"
    reply_body = (
        {
            "type": "doc",
            "version": 1,
            "content": [{"type": "paragraph", "content": [{"type": "text", "text": reply_text}]}],
        }
        if fake.cloud
        else reply_text
    )
    fake.comments[key].insert(0, {**ours, "id": "9999", "body": reply_body})  # the older one
    fake.edit(key, summary="Show delivery dates in the order history page")
    fake.log.clear()
    run(fake, apply=True)
    reply = next(c for c in fake.comments[key] if c["id"] == "9999")
    assert reply["body"] == reply_body  # untouched
    assert not fake.requests("PUT", "/comment/9999$") and not fake.requests("DELETE", "9999")


# -- at most one backlint comment -------------------------------------------------------------


def first_line_markers(fake: FakeJira, key: str) -> list[dict]:
    """backlint's comments by the contract: the first line of the text is the marker."""
    found = []
    for comment in fake.comments[key]:
        body = comment["body"]
        if isinstance(body, dict):  # ADF: the first paragraph's first text
            first = body["content"][0].get("content", [{}])[0].get("text", "")
        else:  # wiki markup: the first line, in its grey colour
            first = re.sub(r"^\{color:[^}]*\}", "", body.lstrip().split("\n", 1)[0])
        if first.startswith("backlint:v1"):
            found.append(comment)
    return found


def quoting(fake: FakeJira, body) -> object:
    """A person's reply that quotes ``body`` verbatim after a line of their own."""
    text = f"I disagree with this: {json.dumps(body) if fake.cloud else body}"
    if not fake.cloud:
        return text
    paragraph = {"type": "paragraph", "content": [{"type": "text", "text": text}]}
    return {"type": "doc", "version": 1, "content": [paragraph]}


def test_duplicates_are_deleted_and_the_oldest_brought_up_to_date(fake):
    project = "SHOP" if fake.cloud else "OPS"
    key = f"{project}-1"
    run(fake, apply=True)
    [ours] = fake.marker_comments(key)
    digest = parse_marker(json.dumps(ours["body"]) if fake.cloud else ours["body"])
    reply = fake.add_comment(key, quoting(fake, ours["body"]))
    twin = fake.add_comment(key, ours["body"])  # a racing run's copy, younger
    stale = json.dumps(ours["body"]).replace(digest, "abcdefabcdef")
    ours["body"] = json.loads(stale)  # the oldest shows older findings
    fake.log.clear()

    result = run(fake, apply=True)

    [plan] = [p for p in result.plans if p.ticket == key]
    assert plan.describe()[:2] == ["edit backlint comment", "delete 1 duplicate backlint comment"]
    [kept] = first_line_markers(fake, key)
    assert kept["id"] == ours["id"] and digest in json.dumps(kept["body"])
    assert not any(c["id"] == twin["id"] for c in fake.comments[key])
    assert next(c for c in fake.comments[key] if c["id"] == reply["id"]) == reply  # untouched
    fake.log.clear()
    assert run(fake, apply=True).plans == [] and fake.writes() == []


def test_a_racing_comment_created_after_this_runs_is_deleted(fake):
    project = "SHOP" if fake.cloud else "OPS"
    raced: dict[str, dict] = {}

    def race(request):
        key = request.api_path.split("/")[1] if request.api_path.startswith("issue/") else ""
        if request.method == "POST" and request.api_path.endswith("/comment") and key not in raced:
            raced[key] = fake.add_comment(key, request.body["body"])

    fake.on_answer = race
    result = run(fake, apply=True)
    fake.on_answer = None

    assert set(raced) == {f"{project}-1", f"{project}-2"}
    assert all(r.error is None for r in result.results)
    for key, twin in raced.items():
        [kept] = first_line_markers(fake, key)
        assert int(kept["id"]) < int(twin["id"])  # this run's own, the older
    fake.log.clear()
    assert run(fake, apply=True).plans == [] and fake.writes() == []


def test_a_racing_comment_created_first_is_kept_with_this_runs_text(fake):
    project = "SHOP" if fake.cloud else "OPS"
    key = f"{project}-1"
    with FakeJira(dialect=fake.dialect) as scratch:  # this run's text, as Jira stores it
        scratch.add_issues(backlog(fake.cloud))
        run(scratch, apply=True)
        [theirs] = scratch.marker_comments(key)
    digest = parse_marker(json.dumps(theirs["body"]))
    stale_body = json.loads(json.dumps(theirs["body"]).replace(digest, "abcdefabcdef"))
    raced = []

    def race(request):
        if request.method == "GET" and request.api_path.startswith("search") and not raced:
            # Another run, on older findings, comments after this run read the issue.
            raced.append(fake.add_comment(key, stale_body))

    fake.on_answer = race
    run(fake, apply=True)
    fake.on_answer = None

    [kept] = first_line_markers(fake, key)
    assert kept["id"] == raced[0]["id"]
    assert kept["body"] == theirs["body"]  # brought to this run's text
    fake.log.clear()
    assert run(fake, apply=True).plans == [] and fake.writes() == []
