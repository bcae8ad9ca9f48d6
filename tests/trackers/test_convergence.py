"""Runs that are killed or that race converge: real ``backlint audit --apply`` processes against
the fake trackers, then ordinary runs afterwards.

* A run killed with SIGKILL halfway through ``--apply`` (at the moment a write has been carried
  out and its answer not yet received): the next run leaves exactly one marker comment per
  ticket and the right labels; the run after that writes nothing.
* Two runs started at once on a tracker that answers each request after a delay: when both are
  done there is exactly one marker comment per ticket; one more run keeps it so, and the run
  after that writes nothing.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fakes.github_server import FakeGitHub
from fakes.jira_payloads import make_issue
from fakes.jira_server import FakeJira, environ_for

from backlint.cli.main import cli

SRC = str(Path(__file__).resolve().parents[2] / "src")
TICKETS = 4
NOW = ["--now", "2026-11-22"]
NEEDS_WORK = "backlint:needs-work"
CONFIG = 'select = ["BL1", "BL2", "BL3", "BL4"]\n\n[github]\nwrite-delay = 0\n'
STORY = "As a shopper I want to see delivery dates so that I can plan my week."


@dataclass
class Site:
    """One fake tracker seeded with tickets that all have findings, and how to audit it."""

    name: str
    source: str
    env: dict[str, str]
    keys: list[str]
    markers: Callable[[str], list[Any]]
    labels: Callable[[str], list[str]]
    writes: Callable[[], int]
    server: Any

    def set_latency(self, seconds: float) -> None:
        self.server.latency = seconds

    def on_answer(self, hook: Callable[[Any], None] | None) -> None:
        self.server.on_answer = hook

    def on_request(self, hook: Callable[[Any], None] | None) -> None:
        self.server.on_request = hook

    def creates(self) -> int:
        """How many comments were created (whatever became of them)."""
        return sum(1 for request in list(self.server.log) if is_comment_create(request))


def _github() -> Iterator[Site]:
    with FakeGitHub() as fake:
        for _ in range(TICKETS):
            fake.add_issue("o/r", title="Fix", body="short", labels=["bug"])

        def markers(key: str) -> list[Any]:
            number = int(key.rsplit("#", 1)[1])
            return [
                c
                for c in fake.comments_on("o/r", number)
                if (c["body"] or "").startswith("<!-- backlint -->")
            ]

        yield Site(
            "github",
            "github:o/r",
            fake.env(),
            [f"o/r#{n}" for n in range(1, TICKETS + 1)],
            markers,
            lambda key: fake.labels_on("o/r", int(key.rsplit("#", 1)[1])),
            lambda: len(fake.writes),
            fake,
        )


def _jira(dialect: str) -> Iterator[Site]:
    cloud = dialect == "cloud"
    with FakeJira(dialect=dialect) as fake:
        keys = [f"SHOP-{n}" for n in range(1, TICKETS + 1)]
        fake.add_issues(
            make_issue(key, cloud=cloud, summary=f"Delivery dates, part {n}", description=(STORY,))
            for n, key in enumerate(keys, 1)
        )
        yield Site(
            dialect,
            "jira:SHOP",
            environ_for(fake),
            keys,
            fake.marker_comments,
            fake.labels,
            lambda: len(fake.writes()),
            fake,
        )


@pytest.fixture
def site(request, tmp_path, monkeypatch) -> Iterator[Site]:
    """The tracker ``request.param`` names: github, cloud (Jira Cloud) or dc (Data Center)."""
    (tmp_path / ".backlint.toml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    yield from (_github() if request.param == "github" else _jira(request.param))


def start(site: Site, folder: Path) -> subprocess.Popen[str]:
    """``backlint audit SOURCE --apply`` as its own process, as a scheduled job starts it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_", "JIRA_"))}
    env.update(site.env, PYTHONPATH=SRC, BACKLINT_LOAD_PLUGINS="")
    return subprocess.Popen(
        [sys.executable, "-m", "backlint", "audit", site.source, "--apply", *NOW],
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def audit_apply(site: Site) -> int:
    """One ordinary run, in this process; returns the writes it made."""
    before = site.writes()
    result = CliRunner().invoke(
        cli, ["audit", site.source, "--apply", *NOW], env=site.env, catch_exceptions=False
    )
    assert result.exit_code in (0, 1), result.output  # never a crash
    return site.writes() - before


def assert_converged(site: Site) -> None:
    """Exactly one marker comment and backlint's label on every ticket."""
    for key in site.keys:
        assert len(site.markers(key)) == 1, key
        assert NEEDS_WORK in site.labels(key), key


def kill_at(site: Site, nth: int, is_target: Callable[[Any], bool]) -> Callable[[int], None]:
    """Kill the process once the fake has carried out the ``nth`` matching write."""
    seen = []
    pid: list[int] = []

    def hook(request: Any) -> None:
        if request.method != "GET" and is_target(request):
            seen.append(request)
            if len(seen) == nth and pid:
                os.kill(pid[0], signal.SIGKILL)

    site.on_answer(hook)
    return pid.append


def is_comment_create(request: Any) -> bool:
    return request.method == "POST" and request.path.endswith(
        "/comments" if "/api/v3/" in request.path else "/comment"
    )


@pytest.mark.parametrize(
    ("site", "target"),
    [("github", "comment"), ("github", "labels"), ("cloud", "comment"), ("dc", "comment")],
    indirect=["site"],
)
def test_a_run_killed_halfway_through_apply_converges(site, tmp_path, target):
    """Killed as a comment's create lands (its answer lost), or as GitHub adds a ticket's
    labels (written before its comment; Jira writes the comment first)."""
    wanted = (
        is_comment_create
        if target == "comment"
        else (lambda r: r.method == "POST" and re.search(r"/issues/\d+/labels$", r.path))
    )
    give_pid = kill_at(site, TICKETS // 2, wanted)
    process = start(site, tmp_path)
    give_pid(process.pid)
    _, stderr = process.communicate(timeout=60)
    site.on_answer(None)
    assert process.returncode == -signal.SIGKILL, stderr
    unfinished = [k for k in site.keys if not site.markers(k) or NEEDS_WORK not in site.labels(k)]
    assert 0 < len(unfinished) < TICKETS  # killed halfway: some tickets done, some not

    audit_apply(site)

    assert_converged(site)
    assert audit_apply(site) == 0


def line_up(site: Site, is_target: Callable[[Any], bool], clients: int = 2) -> None:
    """Hold each matching request until ``clients`` of them for the same path have arrived.

    Two runs then both create a ticket's comment at the same moment, every time: the race of
    issue 14 made certain instead of likely.
    """
    arrived: dict[str, int] = {}
    ready = threading.Condition()

    def hook(request: Any) -> None:
        if not is_target(request):
            return
        with ready:
            arrived[request.path] = arrived.get(request.path, 0) + 1
            ready.notify_all()
            ready.wait_for(lambda: arrived[request.path] >= clients, timeout=30)

    site.on_request(hook)


@pytest.mark.parametrize("site", ["github", "cloud"], indirect=True)
def test_two_runs_at_once_leave_one_comment_per_ticket(site, tmp_path):
    """Both runs create every ticket's comment at the same moment; Data Center's comment
    format is covered by the race tests in test_jira.py, in-process."""
    site.set_latency(0.01)
    line_up(site, is_comment_create)
    first, second = start(site, tmp_path), start(site, tmp_path)
    outputs = [first.communicate(timeout=120)[1], second.communicate(timeout=120)[1]]
    site.on_request(None)
    site.set_latency(0.0)
    assert {first.returncode, second.returncode} <= {0, 1}, outputs
    assert not any("Traceback" in text for text in outputs), outputs
    assert site.creates() == 2 * TICKETS  # both runs created every ticket's comment
    assert_converged(site)  # and each checked after creating: no duplicate survived

    assert audit_apply(site) == 0
    assert_converged(site)
