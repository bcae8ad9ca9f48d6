"""``backlint action`` run as the Actions runner runs it: environment variables, an event payload
file, an output file, a summary file, and the fake GitHub server behind ``GITHUB_API_URL``."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from backlint.cli.main import main

# The shared fake GitHub lives in tests/fakes; with --import-mode=importlib, tests/ is not on
# sys.path by itself.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from fakes.github_server import FakeGitHub

ROOT = Path(__file__).resolve().parent.parent
PAYLOADS = Path(__file__).resolve().parent / "fixtures" / "action"
CORPUS = ROOT.parent / "shared" / "corpora" / "github-webhook-issues"
REPO = "acme/checkout-web"
NOW = "2026-11-22T12:00:00+00:00"
MANAGED = {"backlint:needs-work", "needs-acceptance-criteria"}


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str


def parse_outputs(text: str) -> dict[str, str]:
    """Read a GITHUB_OUTPUT file as the runner does: ``k=v`` and ``k<<DELIM`` blocks."""
    values: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            block = []
            for inner in lines:
                if inner == delimiter:
                    break
                block.append(inner)
            values[name] = "\n".join(block)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    return values


@pytest.fixture(scope="module")
def _server():
    with FakeGitHub() as server:
        yield server


@pytest.fixture
def fake(_server):
    """The module's fake GitHub, emptied for each test (stopping one takes half a second)."""
    _server.repos.clear()
    _server.faults.clear()
    _server.clear_log()
    return _server


@pytest.fixture
def action(tmp_path, monkeypatch, capsys):
    """Run ``backlint action`` once per call, in a fresh runner step (new output/summary)."""
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    steps = iter(range(1, 100))

    def run(
        payload: dict[str, Any] | Path | None,
        event: str = "issues",
        server: FakeGitHub | None = None,
        **env: str,
    ) -> Run:
        step = tmp_path / f"step{next(steps)}"
        step.mkdir()
        output, summary = step / "output", step / "summary"
        output.touch()
        summary.touch()
        if isinstance(payload, dict):
            path = step / "event.json"
            path.write_text(json.dumps(payload), encoding="utf-8")
        else:
            path = payload
        base = {
            "GITHUB_ACTIONS": "true",
            "GITHUB_EVENT_NAME": event,
            "GITHUB_REPOSITORY": REPO,
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_API_URL": "http://127.0.0.1:9/api/v3",  # unreachable unless a fake is given
        }
        if path is not None:
            base["GITHUB_EVENT_PATH"] = str(path)
        if server is not None:
            base.update(server.env())
        for name, value in {**base, **env}.items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        with pytest.raises(SystemExit) as exit_info:
            main(["action", "--now", NOW])
        captured = capsys.readouterr()
        return Run(
            code=exit_info.value.code or 0,
            stdout=captured.out,
            stderr=captured.err,
            outputs=parse_outputs(output.read_text(encoding="utf-8")),
            summary=summary.read_text(encoding="utf-8"),
        )

    run.workspace = workspace  # type: ignore[attr-defined]
    return run


def load(name: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


def seed(fake: FakeGitHub, payload: dict[str, Any]) -> dict[str, Any]:
    """Put the payload's issue (and its labels) on the fake server, as GitHub would have it."""
    issue = copy.deepcopy(payload["issue"])
    repo = payload["repository"]["full_name"]
    for label in issue["labels"]:
        fake.add_label(repo, label["name"])
    issue["labels"] = [fake.repo(repo).labels[label["name"].lower()] for label in issue["labels"]]
    fake.repo(repo).issues[issue["number"]] = issue
    return issue


def event_from(fake: FakeGitHub, action: str, number: int, repo: str = REPO, **extra: Any):
    """The payload GitHub would send now for ``number``: the issue as the server has it."""
    template = load("issues.opened.json")
    payload = {"action": action, "issue": copy.deepcopy(fake.repo(repo).issues[number])}
    payload.update(extra)
    payload["repository"] = template["repository"]
    payload["sender"] = template["sender"]
    return payload


def marker_comments(fake: FakeGitHub, number: int, repo: str = REPO) -> list[dict[str, Any]]:
    return [c for c in fake.comments_on(repo, number) if "backlint:v1" in (c["body"] or "")]


# -- the write-back cycle ----------------------------------------------------------------------
def test_opened_with_findings_creates_one_comment_and_labels(fake, action):
    payload = load("issues.opened.json")
    seed(fake, payload)

    run = action(payload, server=fake)

    assert run.code == 0, run.stderr
    comments = marker_comments(fake, 213)
    assert len(comments) == 1
    assert "BL201" in comments[0]["body"]
    assert set(fake.labels_on(REPO, 213)) >= MANAGED
    assert {"story", "P3", "okr:conversion"} <= set(fake.labels_on(REPO, 213))
    assert run.outputs["mode"] == "check"
    assert run.outputs["passed"] == "false"
    assert run.outputs["errors"] == "1"
    assert int(run.outputs["writes"]) >= 2
    assert "::error title=BL201 missing-acceptance-criteria" in run.stdout
    assert "https://github.com/acme/checkout-web/issues/213" in run.stdout
    assert "| error | [BL201 missing-acceptance-criteria]" in run.summary
    assert "create backlint comment" in run.summary


def test_edit_that_fixes_resolves_comment_and_removes_labels_then_nothing(fake, action):
    opened = load("issues.opened.json")
    seed(fake, opened)
    assert action(opened, server=fake).code == 0
    fixed_body = load("issues.edited.fixed.json")["issue"]["body"]
    fake.repo(REPO).issues[213]["body"] = fixed_body  # the author edits the issue
    fake.clear_log()

    run = action(event_from(fake, "edited", 213), server=fake)

    assert run.code == 0, run.stderr
    comments = marker_comments(fake, 213)
    assert len(comments) == 1
    assert "all checks pass" in comments[0]["body"]
    assert not MANAGED & set(fake.labels_on(REPO, 213))
    assert {"story", "P3", "okr:conversion"} <= set(fake.labels_on(REPO, 213))
    assert run.outputs["passed"] == "true"
    assert not fake.requests("POST", r"/comments$")  # edited in place, never a second comment

    fake.clear_log()
    again = action(event_from(fake, "edited", 213), server=fake)

    assert again.code == 0
    assert fake.writes == []
    assert again.outputs["writes"] == "0"
    assert "nothing to change" in again.summary


def test_stale_payload_after_a_quick_second_edit_still_cleans_up(fake, action):
    """Two quick edits: the second run's payload predates the first run's labels."""
    opened = load("issues.opened.json")
    seed(fake, opened)
    assert action(opened, server=fake).code == 0
    fixed = load("issues.edited.fixed.json")  # labels as they were before backlint's run
    fake.repo(REPO).issues[213]["body"] = fixed["issue"]["body"]

    run = action(fixed, server=fake)

    assert run.code == 0, run.stderr
    assert "all checks pass" in marker_comments(fake, 213)[0]["body"]
    assert not MANAGED & set(fake.labels_on(REPO, 213))


def test_findings_with_existing_labels_take_at_most_five_requests(fake, action):
    payload = load("issues.opened.json")
    seed(fake, payload)
    for name in MANAGED:
        fake.add_label(REPO, name)
    fake.clear_log()

    run = action(payload, server=fake)

    # Read the comments, read the repository's labels, add the labels, create the comment,
    # then read the comments once more: a run racing this one (two events for one issue at
    # once) may have created its own, and only that check leaves exactly one. Creating is
    # the only path that pays for it; editing an existing comment stays at four requests.
    assert run.code == 0
    assert len(fake.log) <= 5, [(r.method, r.path) for r in fake.log]
    assert len(fake.writes) == 2  # the labels, then the comment
    assert all(r.authorized for r in fake.log)


def test_edit_that_changes_findings_edits_the_comment(fake, action):
    payload = load("issues.opened.json")
    seed(fake, payload)
    assert action(payload, server=fake).code == 0
    fake.repo(REPO).issues[213]["milestone"] = None
    fake.repo(REPO).issues[213]["labels"] = [
        label
        for label in fake.repo(REPO).issues[213]["labels"]
        if label["name"] != "okr:conversion"
    ]

    run = action(event_from(fake, "demilestoned", 213), server=fake)

    # The objective link is a maintainer's field: a label and a report row, not the author's
    # comment, which stays as it was.
    assert run.code == 0
    comments = marker_comments(fake, 213)
    assert len(comments) == 1
    assert "BL301" not in comments[0]["body"]
    assert not fake.requests("PATCH", r"/issues/comments/\d+$")
    assert "needs-objective" in fake.labels_on(REPO, 213)
    assert "BL301" in run.summary

    # A team that wants every finding in the comment says so.
    (action.workspace / ".backlint.toml").write_text('[writeback]\ncomment-for = "everyone"\n')
    run = action(event_from(fake, "edited", 213), server=fake)
    assert run.code == 0
    comments = marker_comments(fake, 213)
    assert len(comments) == 1
    assert "BL301" in comments[0]["body"]
    assert fake.requests("PATCH", r"/issues/comments/\d+$")


# -- events that must change nothing ---------------------------------------------------------
@pytest.mark.parametrize(
    ("fixture", "reason"),
    [
        ("issues.labeled.by-backlint.json", "a label backlint manages"),
        ("issues.opened.pull-request.json", "pull request"),
        ("issues.opened.opt-out.json", "opt-out label"),
        ("issues.closed.json", "issues.closed events are not checked"),
    ],
)
def test_skipped_events_make_no_request(fake, action, fixture, reason):
    run = action(load(fixture), server=fake)

    assert run.code == 0
    assert fake.log == []
    assert run.outputs["mode"] == "skip"
    assert reason in run.outputs["skipped"]
    assert "::notice title=backlint::skipped" in run.stdout
    assert "skipped this event" in run.summary


def test_labeled_by_the_actions_bot_with_another_label_is_skipped(fake, action):
    payload = load("issues.labeled.by-backlint.json")
    payload["label"] = {"name": "area:shipping"}

    run = action(payload, server=fake)

    assert run.code == 0
    assert fake.log == []
    assert "github-actions[bot]" in run.outputs["skipped"]


def test_labeled_by_a_person_is_checked(fake, action):
    payload = load("issues.opened.json")
    seed(fake, payload)
    payload = event_from(fake, "labeled", 213, label={"name": "area:shipping"})

    run = action(payload, server=fake)

    assert run.outputs["mode"] == "check"
    assert len(marker_comments(fake, 213)) == 1


def test_other_events_are_skipped_with_a_notice(fake, action):
    run = action(load("issues.opened.json"), event="push", server=fake)

    assert run.code == 0
    assert "nothing to do on 'push' events" in run.outputs["skipped"]
    assert fake.log == []


# -- bad input ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (PAYLOADS / "not-json.json", "not valid JSON"),
        (PAYLOADS / "issues.opened.no-number.json", "no issue.number"),
        (Path("/nonexistent/event.json"), "no such file"),
        (None, "GITHUB_EVENT_PATH is not set"),
    ],
)
def test_bad_payload_is_one_line_and_exit_2(fake, action, payload, message):
    run = action(payload, server=fake)

    assert run.code == 2
    assert run.stderr.count("\n") == 1
    assert message in run.stderr
    assert "Traceback" not in run.stderr
    assert "::error title=backlint::" in run.stdout
    assert fake.log == []


@pytest.mark.parametrize(
    ("name", "value"), [("INPUT_MODE", "sometimes"), ("INPUT_LIMIT", "ten"), ("INPUT_COMMENT", "x")]
)
def test_bad_inputs_exit_2(action, name, value):
    run = action(load("issues.opened.json"), **{name: value})

    assert run.code == 2
    assert name.removeprefix("INPUT_").lower() in run.stderr


def test_missing_event_name_exits_2(action, monkeypatch):
    monkeypatch.delenv("GITHUB_EVENT_NAME", raising=False)
    run = action(load("issues.opened.json"), event="")

    assert run.code == 2
    assert "GITHUB_EVENT_NAME" in run.stderr


def test_entry_point_reports_a_missing_payload_without_a_traceback(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
    env.update(
        GITHUB_EVENT_NAME="issues",
        GITHUB_EVENT_PATH=str(tmp_path / "missing.json"),
        PYTHONPATH=str(ROOT / "src"),
        BACKLINT_LOAD_PLUGINS="",
    )
    done = subprocess.run(
        [sys.executable, "-m", "backlint", "action"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"backlint: GITHUB_EVENT_PATH {tmp_path / 'missing.json'}: no such file"
    ]


# -- payload shapes ----------------------------------------------------------------------------
def test_empty_body_issue_is_checked(fake, action):
    payload = load("issues.opened.empty-body.json")
    seed(fake, payload)

    run = action(payload, server=fake)

    assert run.code == 0
    assert run.outputs["mode"] == "check"
    assert run.outputs["tickets"] == "1"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpora not available")
@pytest.mark.parametrize(
    "name",
    ["issues.opened.with-empty-body", "issues.opened", "issues.edited", "issues.reopened"],
)
def test_real_payload_shapes_are_checked_and_written(fake, action, name):
    payload = json.loads((CORPUS / f"{name}.payload.json").read_text(encoding="utf-8"))
    repo = payload["repository"]["full_name"]
    payload["issue"]["state"] = "open"
    seed(fake, payload)

    run = action(payload, server=fake, GITHUB_REPOSITORY=repo)

    assert run.code == 0, run.stderr
    assert run.outputs["mode"] == "check"
    number = payload["issue"]["number"]
    findings = int(run.outputs["findings"])
    assert len(marker_comments(fake, number, repo)) == (1 if findings else 0)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpora not available")
@pytest.mark.parametrize("name", ["issues.deleted", "issues.locked", "issues.transferred"])
def test_real_payloads_of_unchecked_actions_are_skipped(fake, action, name):
    payload = json.loads((CORPUS / f"{name}.payload.json").read_text(encoding="utf-8"))

    run = action(payload, server=fake)

    assert run.code == 0
    assert run.outputs["mode"] == "skip"
    assert fake.log == []


# -- inputs, config, exit status ---------------------------------------------------------------
def test_fail_on_error_exits_1_and_default_never_fails(fake, action):
    payload = load("issues.opened.json")
    seed(fake, payload)

    assert action(payload, server=fake).code == 0
    assert action(payload, server=fake, INPUT_FAIL_ON="error").code == 1
    assert action(payload, server=fake, INPUT_FAIL_ON="warning").code == 1


def test_comment_and_labels_off_report_only(fake, action):
    payload = load("issues.opened.json")
    seed(fake, payload)

    run = action(payload, server=fake, INPUT_COMMENT="false", INPUT_LABELS="false")

    assert run.code == 0
    assert fake.log == []
    assert run.outputs["findings"] == "1"
    assert "write-back off" in run.stdout


def test_labels_only(fake, action):
    payload = load("issues.opened.json")
    seed(fake, payload)

    action(payload, server=fake, INPUT_COMMENT="false")

    assert marker_comments(fake, 213) == []
    assert set(fake.labels_on(REPO, 213)) >= MANAGED


def test_config_comes_from_the_workspace_only(fake, action, tmp_path):
    payload = load("issues.opened.json")
    seed(fake, payload)
    (tmp_path / ".backlint.toml").write_text('select = ["BL401"]\n')  # above the checkout
    (action.workspace / ".backlint.toml").write_text('ignore = ["BL201"]\n')

    run = action(payload, server=fake)

    assert run.outputs["findings"] == "0"
    assert run.outputs["passed"] == "true"


def test_workspace_config_team_packs_apply(fake, action):
    payload = load("issues.opened.json")
    seed(fake, payload)
    plain = action(payload, server=fake, INPUT_COMMENT="false", INPUT_LABELS="false")
    (action.workspace / "team.toml").write_text(
        '[pack]\nname = "team"\nprefix = "TEAM"\ndescription = "Ours."\n\n'
        '[[rule]]\ncode = "TEAM101"\nname = "needs-area"\nkind = "condition"\n'
        'family = "hygiene"\nseverity = "warning"\nrequire = { label = ["area:*"] }\n'
        'message = "Give the ticket an area label."\nwhat = "No area label."\n'
        'why = "Triage routes by area."\nexample = "A story without area:*."\n'
        'fix = "Add an area label."\n'
    )
    (action.workspace / ".backlint.toml").write_text('packs = ["default", "./team.toml"]\n')

    team = action(payload, server=fake, INPUT_COMMENT="false", INPUT_LABELS="false")

    assert "title=TEAM101" not in plain.stdout
    assert "title=TEAM101 needs-area" in team.stdout


def test_config_input_names_a_file_in_the_workspace(fake, action):
    payload = load("issues.opened.json")
    seed(fake, payload)
    (action.workspace / "ci").mkdir()
    (action.workspace / "ci" / "backlint.toml").write_text('ignore = ["BL201"]\n')

    assert action(payload, server=fake, INPUT_CONFIG="ci/backlint.toml").outputs["findings"] == "0"
    missing = action(payload, server=fake, INPUT_CONFIG="ci/nope.toml")
    assert missing.code == 2
    assert "config file not found" in missing.stderr


def test_without_a_token_findings_are_reported_and_nothing_written(action, monkeypatch):
    run = action(load("issues.opened.json"))

    assert run.code == 0
    assert "no token" in run.stdout
    assert run.outputs["findings"] == "1"
    assert "::error title=BL201" in run.stdout


def test_token_is_masked_and_never_printed_elsewhere(fake, action):
    payload = load("issues.opened.json")
    seed(fake, payload)

    run = action(payload, server=fake)

    assert run.stdout.splitlines()[0] == f"::add-mask::{fake.token}"
    rest = "\n".join(run.stdout.splitlines()[1:])
    for text in (rest, run.stderr, run.summary, json.dumps(run.outputs)):
        assert fake.token not in text


def test_failed_write_exits_2_with_a_hint(fake, action):
    payload = load("issues.opened.json")
    seed(fake, payload)
    for name in MANAGED:
        fake.add_label(REPO, name)
    fake.inject(r"/issues/213/labels$", 403, method="POST", body={"message": "Forbidden"})

    run = action(payload, server=fake)

    assert run.code == 2
    assert "write failed" in run.stdout
    assert "permissions: issues: write" in run.stdout
    assert marker_comments(fake, 213) == []


# -- scheduled audit ---------------------------------------------------------------------------
def _backlog(fake: FakeGitHub, workspace: Path) -> None:
    # No pause between writes: the audit's pacing is the tracker's business, tested there.
    (workspace / ".backlint.toml").write_text("[github]\nwrite-delay = 0\n")
    story = load("issues.opened.json")["issue"]
    for number in (1, 2, 3):
        fake.add_issue(
            REPO,
            title=f"Guest checkout address autocomplete, part {number}",
            body=story["body"],
            labels=["story", "P3", "okr:conversion"],
            milestone="Q4 2026 — Checkout conversion",
        )
    fake.add_issue(
        REPO,
        title="Save card for returning customers",
        body=load("issues.edited.fixed.json")["issue"]["body"],
        labels=["story", "P1", "okr:conversion"],
        milestone="Q4 2026 — Checkout conversion",
    )


def test_schedule_audits_the_repository_with_a_limit(fake, action):
    _backlog(fake, action.workspace)

    run = action(PAYLOADS / "schedule.json", event="schedule", server=fake, INPUT_LIMIT="2")

    assert run.code == 0, run.stderr
    assert run.outputs["mode"] == "audit"
    assert run.outputs["tickets"] == "4"
    assert run.outputs["tickets-with-findings"] == "4"  # #4 is stale (BL502) too
    # BL502 is for maintainers: in the report, not on the ticket, so #4 needs no write at all
    assert run.outputs["held-back"] == "1"
    commented = [n for n in (1, 2, 3, 4) if marker_comments(fake, n)]
    assert len(commented) == 2
    assert "## backlint audit: acme/checkout-web" in run.summary
    assert "held back by the limit of 2" in run.summary
    assert "Tickets with the most findings" in run.summary


def test_workflow_dispatch_audit_twice_converges(fake, action):
    _backlog(fake, action.workspace)
    assert action({"inputs": {}}, event="workflow_dispatch", server=fake).code == 0
    fake.clear_log()

    run = action({"inputs": {}}, event="workflow_dispatch", server=fake)

    assert run.code == 0
    assert fake.writes == []
    assert run.outputs["writes"] == "0"


def test_mode_event_refuses_a_schedule(fake, action):
    run = action(PAYLOADS / "schedule.json", event="schedule", server=fake, INPUT_MODE="event")

    assert run.code == 2
    assert "mode event needs an issues event" in run.stderr


# -- repository trust and a failing tracker (issue 14) -----------------------------------------
def _foreign_paths(fake: FakeGitHub) -> list[str]:
    return [r.path for r in fake.log if "evil-org" in r.path or "harvest" in r.path]


def test_urls_in_the_issue_never_choose_the_repository(fake, action):
    payload = load("issues.opened.foreign-urls.json")
    seed(fake, payload)
    fake.repo("evil-org/harvest")  # it exists: a request there would succeed

    run = action(payload, server=fake)

    assert run.code == 0, run.stderr
    assert _foreign_paths(fake) == []
    assert fake.writes and all(r.path.startswith(f"/api/v3/repos/{REPO}/") for r in fake.writes)
    assert len(marker_comments(fake, 213)) == 1
    assert fake.comments_on("evil-org/harvest", 213) == []


def test_github_repository_wins_over_the_payloads_repository(fake, action):
    payload = load("issues.opened.json")
    seed(fake, payload)
    payload["repository"]["full_name"] = "evil-org/harvest"

    run = action(payload, server=fake)

    assert run.code == 0, run.stderr
    assert _foreign_paths(fake) == [] and len(marker_comments(fake, 213)) == 1


@pytest.mark.parametrize(
    ("env", "full_name", "message"),
    [
        ({"GITHUB_REPOSITORY": "../../users"}, "acme/checkout-web", "GITHUB_REPOSITORY"),
        ({"GITHUB_REPOSITORY": ""}, "acme/../../x", "repository.full_name"),
        ({"GITHUB_REPOSITORY": ""}, ["acme/checkout-web"], "no repository.full_name"),
    ],
)
def test_a_repository_that_is_no_owner_and_name_is_refused(fake, action, env, full_name, message):
    payload = load("issues.opened.json")
    payload["repository"]["full_name"] = full_name

    run = action(payload, server=fake, **env)

    assert run.code == 2 and message in run.stderr
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert fake.log == []


@pytest.mark.parametrize(
    "change",
    [
        {"labels": 5},
        {"title": ["a list"]},
        {"type": {"name": ["Bug"]}},
        {"number": True},
    ],
)
def test_odd_issue_payloads_are_one_line_and_exit_2(fake, action, change):
    payload = load("issues.opened.json")
    payload["issue"].update(change)

    run = action(payload, server=fake)

    assert run.code == 2, run.stderr
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr
    assert run.stderr.count("\n") == 1
    assert fake.writes == []


def test_a_scheduled_audit_stops_writing_when_writes_keep_failing(fake, action):
    _backlog(fake, action.workspace)
    with (action.workspace / ".backlint.toml").open("a") as config:
        config.write("[writeback]\nfailure-budget = 2\n")
    fake.inject(r"/labels$", 403, method="POST", body={"message": "Forbidden"}, times=100)

    run = action(PAYLOADS / "schedule.json", event="schedule", server=fake)

    assert run.code == 2
    assert "Write-back stopped: 2 tickets in a row failed to write (failure-budget 2)" in run.stdout
    assert "planned tickets not written" in run.stdout
    assert fake.writes and all(r.method == "POST" for r in fake.writes)


# -- dry-run and exempt labels ---------------------------------------------------------------
def test_dry_run_plans_and_shows_the_comment_but_writes_nothing(fake, action):
    payload = load("issues.opened.json")
    seed(fake, payload)

    run = action(payload, server=fake, INPUT_DRY_RUN="true")

    assert run.code == 0, run.stderr
    assert fake.writes == []
    assert marker_comments(fake, 213) == []
    assert "dry run: nothing was written" in run.summary
    assert "create backlint comment" in run.summary
    assert "<summary>The comment</summary>" in run.summary
    assert "> backlint found" in run.summary and "BL201" in run.summary
    assert run.outputs["writes"] == "0"


def test_exempt_labels_leave_the_issue_alone(fake, action):
    payload = load("issues.opened.json")
    seed(fake, payload)
    labels = {label["name"] for label in payload["issue"]["labels"]}
    exempt = sorted(labels)[0]

    run = action(payload, server=fake, INPUT_EXEMPT_LABELS=f"wontfix, {exempt.upper()}")

    assert run.code == 0, run.stderr
    assert run.outputs["mode"] == "skip"
    assert f"exempt label {exempt.lower()!r}" in run.outputs["skipped"]
    assert fake.requests("GET", r".*") == [] and fake.writes == []


def test_audit_leaves_exempt_issues_alone(fake, action):
    _backlog(fake, action.workspace)
    fake.repo(REPO).issues[2]["labels"].append({"name": "discussion"})

    run = action(
        PAYLOADS / "schedule.json", event="schedule", server=fake, INPUT_EXEMPT_LABELS="discussion"
    )

    assert run.code == 0, run.stderr
    assert marker_comments(fake, 2) == []
    assert marker_comments(fake, 1) and marker_comments(fake, 3)


def test_an_unreadable_issue_in_an_audit_is_exit_2_as_on_the_command_line(fake, action):
    """One exit status for the CLI and the Action: a run problem (BL902) is 2, fail-on never."""
    _backlog(fake, action.workspace)
    odd = fake.add_issue(REPO, title="Odd one")
    odd["title"] = ["not", "text"]  # the tracker sent something backlint cannot read

    run = action({"inputs": {}}, event="workflow_dispatch", server=fake)

    assert run.code == 2, run.stdout
    assert "BL902" in run.summary or "could not read" in run.summary
    assert run.outputs["tickets"] == "5"


# -- Jira on events: a repository_dispatch from a Jira Automation rule (issue 17) ---------------
JIRA_STORY = "As a shopper I want to see delivery dates so that I can plan my week."
JIRA_ENV = (
    "JIRA_URL",
    "JIRA_EMAIL",
    "JIRA_USERNAME",
    "JIRA_API_TOKEN",
    "JIRA_PASSWORD",
    "JIRA_PAT",
)


@pytest.fixture(params=["cloud", "dc"])
def jira(request, monkeypatch):
    """A fake Jira (each dialect) holding SHOP-12, a story without acceptance criteria."""
    from fakes.jira_payloads import make_issue
    from fakes.jira_server import FakeJira

    for name in JIRA_ENV:  # credentials a developer's shell may hold must not leak in
        monkeypatch.delenv(name, raising=False)
    with FakeJira(dialect=request.param) as server:
        server.add_issue(
            make_issue(
                "SHOP-12",
                cloud=server.cloud,
                summary="Show delivery dates in the cart",
                description=(JIRA_STORY,),
            )
        )
        yield server


def dispatch(
    action, jira, github: FakeGitHub, payload: dict[str, Any] | None = None, **env: str
) -> Run:
    """One ``repository_dispatch`` run with the fake Jira's credentials in the environment (and
    the fake GitHub's token, as the action passes ``github.token``)."""
    from fakes.jira_server import environ_for

    payload = payload if payload is not None else load("repository_dispatch.jira-issue.json")
    return action(
        payload, event="repository_dispatch", server=github, **{**environ_for(jira), **env}
    )


def jira_secret(jira) -> str:
    from fakes.jira_server import environ_for

    environ = environ_for(jira)
    return environ.get("JIRA_API_TOKEN") or environ["JIRA_PAT"]


def test_jira_dispatch_writes_one_comment_then_a_rerun_writes_nothing(fake, jira, action):
    run = dispatch(action, jira, fake)

    assert run.code == 0, run.stdout + run.stderr
    comments = jira.marker_comments("SHOP-12")
    assert len(comments) == 1
    assert "BL201" in json.dumps(comments[0]["body"])
    assert "needs-acceptance-criteria" in jira.labels("SHOP-12")
    writes = len(jira.writes())
    assert run.outputs["mode"] == "check"
    assert run.outputs["tickets"] == "1"
    assert run.outputs["passed"] == "false"
    assert run.outputs["writes"] == str(writes) and writes >= 2
    assert "::error title=BL201 missing-acceptance-criteria" in run.stdout
    assert f"{jira.url}/browse/SHOP-12" in run.stdout
    assert "| error | [BL201 missing-acceptance-criteria]" in run.summary
    assert "create backlint comment" in run.summary
    assert fake.log == []  # nothing went to GitHub

    again = dispatch(action, jira, fake)

    assert again.code == 0, again.stdout + again.stderr
    assert len(jira.writes()) == writes
    assert again.outputs["writes"] == "0"
    assert "nothing to change" in again.summary
    assert len(jira.marker_comments("SHOP-12")) == 1


@pytest.mark.parametrize(
    "key",
    [
        "shop-12",
        "SHOP-0",
        "SHOP-012",
        "S-12",
        "SHOP-12\n",
        " SHOP-12",
        "SHOP-12/../../myself",
        "SHOP-12 OR project = HR",
        "SHOP-12\n::add-mask::x",
        "{{issue.key}}",
        "",
        12,
        ["SHOP-12"],
        None,
    ],
)
def test_jira_dispatch_with_a_bad_key_is_one_line_and_exit_2(fake, jira, action, key):
    payload = load("repository_dispatch.jira-issue.json")
    if key is None:
        del payload["client_payload"]["key"]
    else:
        payload["client_payload"]["key"] = key

    run = dispatch(action, jira, fake, payload)

    assert run.code == 2
    assert run.stderr.count("\n") == 1
    assert "client_payload.key" in run.stderr and "Traceback" not in run.stderr
    assert "::error title=backlint::" in run.stdout
    assert not any(line.startswith("::add-mask::x") for line in run.stdout.splitlines())
    assert jira.requests() == [] and fake.log == []


def test_jira_dispatch_without_a_client_payload_is_exit_2(fake, jira, action):
    payload = load("repository_dispatch.jira-issue.json")
    del payload["client_payload"]

    run = dispatch(action, jira, fake, payload)

    assert run.code == 2
    assert "no client_payload.key" in run.stderr
    assert jira.requests() == []


def test_other_dispatch_types_are_skipped_with_a_reason(fake, jira, action):
    payload = load("repository_dispatch.jira-issue.json")
    payload["action"] = "deploy"

    run = dispatch(action, jira, fake, payload)

    assert run.code == 0
    assert run.outputs["mode"] == "skip"
    assert "event type 'deploy' is not checked" in run.outputs["skipped"]
    assert jira.requests() == [] and fake.log == []


def test_jira_dispatch_leaves_done_opted_out_and_exempt_issues_alone(fake, jira, action):
    from fakes.jira_payloads import make_issue

    for key, status, labels in [
        ("SHOP-13", "done", ()),
        ("SHOP-14", "todo", ("backlint:ignore",)),
        ("SHOP-15", "todo", ("discussion",)),
    ]:
        jira.add_issue(
            make_issue(key, cloud=jira.cloud, summary="update", status=status, labels=labels)
        )
    reasons = []
    for key in ("SHOP-13", "SHOP-14", "SHOP-15"):
        payload = load("repository_dispatch.jira-issue.json")
        payload["client_payload"]["key"] = key
        run = dispatch(action, jira, fake, payload, INPUT_EXEMPT_LABELS="discussion")
        assert run.code == 0, run.stdout + run.stderr
        assert run.outputs["mode"] == "skip"
        reasons.append(run.outputs["skipped"])

    assert reasons == [
        "SHOP-13: the issue is done",
        "SHOP-14: the issue carries the opt-out label 'backlint:ignore'",
        "SHOP-15: the issue carries the exempt label 'discussion'",
    ]
    assert jira.writes() == []


def test_jira_dispatch_in_event_mode_dry_run_writes_nothing(fake, jira, action):
    run = dispatch(action, jira, fake, INPUT_MODE="event", INPUT_DRY_RUN="true")

    assert run.code == 0, run.stdout + run.stderr
    assert jira.writes() == []
    assert "dry run" in run.summary


def test_jira_dispatch_without_jira_settings_is_one_line_and_exit_2(fake, jira, action):
    run = action(load("repository_dispatch.jira-issue.json"), event="repository_dispatch")

    assert run.code == 2
    assert run.stderr.count("\n") == 1
    assert "JIRA_URL is not set" in run.stderr
    assert jira.requests() == []


def test_jira_dispatch_for_a_missing_issue_is_one_line_and_exit_2(fake, jira, action):
    payload = load("repository_dispatch.jira-issue.json")
    payload["client_payload"]["key"] = "SHOP-404"

    run = dispatch(action, jira, fake, payload)

    assert run.code == 2
    assert run.stderr.count("\n") == 1
    assert "no issue SHOP-404" in run.stderr
    assert jira.writes() == []


def test_jira_secret_is_masked_and_never_printed_elsewhere(fake, jira, action):
    run = dispatch(action, jira, fake)

    secret = jira_secret(jira)
    assert f"::add-mask::{secret}" in run.stdout.splitlines()[:3]
    rest = "\n".join(line for line in run.stdout.splitlines() if "::add-mask::" not in line)
    for text in (rest, run.stderr, run.summary, json.dumps(run.outputs)):
        assert secret not in text


def test_a_failed_jira_write_exits_2_with_a_jira_hint(fake, jira, action):
    jira.fail("POST", r"^issue/SHOP-12/comment$", 403, body={"errorMessages": ["No permission"]})
    jira.fail("PUT", r"^issue/SHOP-12$", 403, body={"errorMessages": ["No permission"]})

    run = dispatch(action, jira, fake)

    assert run.code == 2
    assert "write failed" in run.stdout
    assert "Jira account" in run.stdout and "permissions: issues: write" not in run.stdout
    assert jira.marker_comments("SHOP-12") == []


def test_the_jira_events_workflow_takes_only_the_key_and_only_for_concurrency():
    """actionlint does not flag ``client_payload`` in a script, so this test does: the example
    listens to jira-issue dispatches only and uses the payload in ``concurrency:`` alone."""
    text = (ROOT / "examples" / "workflows" / "backlint-jira-events.yml").read_text("utf-8")
    assert "repository_dispatch:\n    types: [jira-issue]" in text
    uses = [line for line in text.splitlines() if "github.event." in line]
    assert uses == ["  group: ${{ github.workflow }}-jira-${{ github.event.client_payload.key }}"]
    assert "cancel-in-progress: false" in text
    for name in ("JIRA_URL", "JIRA_EMAIL", "JIRA_API_TOKEN", "JIRA_PAT"):
        assert f"{name}: ${{{{ secrets.{name} }}}}" in text
    assert "run:" not in text
