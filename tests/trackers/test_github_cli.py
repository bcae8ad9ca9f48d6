"""``backlint audit github:o/r [--apply]`` end to end against the fake GitHub."""

from __future__ import annotations

import pytest
from fakes.cli import cli_against

from backlint.writeback.contract import RESOLVED, parse_marker

NOW = ["--now", "2026-02-01"]
REPO = "o/r"


@pytest.fixture
def run(fake_github, monkeypatch, tmp_path):
    return cli_against(monkeypatch, tmp_path, fake_github.env(), NOW)


def _add_backlog(fake_github):
    fake_github.add_issue(REPO, title="Fix", body="short", labels=["bug"])
    fake_github.add_issue(
        REPO,
        title="Export the monthly report as CSV for admins",
        body="## Acceptance criteria\n- [ ] a CSV file downloads",
        labels=["P2"],
        milestone="v1.0",
        assignees=["alice"],
    )


def test_full_cycle_audit_apply_fix_apply_apply(fake_github, run):
    _add_backlog(fake_github)

    dry = run("audit", "github:o/r")
    assert dry.exit_code == 0, dry.output
    assert "Write-back plan (dry run" in dry.stdout
    assert "o/r#1: create backlint comment; add label 'backlint:needs-work'" in dry.stdout
    assert "o/r#2" not in dry.stdout.split("Write-back plan")[1]
    assert "    | backlint found" not in dry.stdout  # comment text only with -v or for check
    verbose = run("audit", "github:o/r", "-v")
    assert "    | backlint found" in verbose.stdout  # the comment the plan would write
    assert fake_github.writes == []

    fake_github.clear_log()
    first = run("audit", "github:o/r", "--apply")
    assert first.exit_code == 0, first.output
    assert len(fake_github.requests("POST", "/api/graphql")) == 1
    [comment] = fake_github.comments_on(REPO, 1)
    assert parse_marker(comment["body"]) not in (None, RESOLVED)
    assert "backlint:needs-work" in fake_github.labels_on(REPO, 1)
    assert fake_github.comments_on(REPO, 2) == []

    issue = fake_github.repo(REPO).issues[1]  # someone fixes the ticket
    issue["title"] = "Fix the CSV export for admins on the reports page"
    issue["body"] = (
        "1. Open Reports as an admin\n2. Click Export CSV\n\n"
        "Expected: a CSV file downloads. Actual: nothing happens."
    )
    issue["milestone"] = {"number": 1, "title": "v1.0", "state": "open", "due_on": None}
    issue["labels"].append(fake_github.add_label(REPO, "P2"))
    fake_github.clear_log()
    second = run("audit", "github:o/r", "--apply")
    assert second.exit_code == 0, second.output
    [comment] = fake_github.comments_on(REPO, 1)
    assert parse_marker(comment["body"]) == RESOLVED
    assert fake_github.labels_on(REPO, 1) == ["bug", "P2"]

    fake_github.clear_log()
    third = run("audit", "github:o/r", "--apply")
    assert third.exit_code == 0, third.output
    assert "Write-back: nothing to change." in third.stdout
    assert fake_github.writes == []
    assert [r.path for r in fake_github.log] == ["/api/graphql"]


def test_limit_caps_how_many_tickets_a_run_changes(fake_github, run):
    for _ in range(3):
        fake_github.add_issue(REPO, title="Fix")
    result = run("audit", "github:o/r", "--apply", "--limit", "1")
    assert result.exit_code == 0, result.output
    assert "2 more tickets need changes; --limit held them back." in result.stdout
    assert [n for n in (1, 2, 3) if fake_github.comments_on(REPO, n)] == [1]


def test_check_one_issue(fake_github, run):
    _add_backlog(fake_github)
    result = run("check", "github:o/r#1", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"ticket": "o/r#1"' in result.stdout
    assert "create backlint comment" in result.stderr


def test_failed_write_exits_2_and_names_the_ticket(fake_github, run):
    fake_github.add_issue(REPO, title="Fix")
    fake_github.inject(r"/issues/1/comments$", 502, method="POST")
    result = run("audit", "github:o/r", "--apply")
    assert result.exit_code == 2
    assert "o/r#1: write failed: GitHub answered HTTP 502" in result.stdout
    assert len(fake_github.requests("POST", r"/issues/1/comments$")) == 1


def test_missing_token_is_one_line_and_exit_2(run, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN")
    result = run("audit", "github:o/r")
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "GITHUB_TOKEN" in result.stderr
