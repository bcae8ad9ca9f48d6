"""The fault matrix (issue 14): every fault, on GitHub, Jira Cloud (v3) and Jira Data Center (v2),
through ``backlint audit SOURCE --apply`` on the command line, in this process.

Each cell injects one fault into the fake tracker and holds backlint to the same promise:

* the faulty run succeeds, or ends with exit status 2 and one-line reasons: never a traceback,
  never a token in its output;
* a clean run afterwards converges: exactly one marker comment and backlint's label on every
  ticket with findings;
* and the run after that makes no write at all.

Waits take no time: the run loads, through ``--plugins-dir``, the plugin
``fakes/instant_trackers.py``, whose trackers are backlint's own GitHub and Jira trackers given a
sleep that returns at once (plugins' trackers are asked before the built-ins). In the timeout
cells it also shortens the read timeout, so a fake that stalls trips a real client timeout in a
fraction of a second.

SIGKILL halfway through ``--apply`` and two runs at once are in ``test_convergence.py``; the
table in ``docs/reliability.md`` ("The fault matrix") lists them with these cells.
"""

from __future__ import annotations

import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fakes import instant_trackers
from fakes.github_server import FakeGitHub
from fakes.jira_payloads import make_issue
from fakes.jira_server import FakeJira, environ_for

from backlint.cli.main import cli

TICKETS = 4
NOW = ["--now", "2026-11-22"]
NEEDS_WORK = "backlint:needs-work"
CONFIG = 'select = ["BL1", "BL2", "BL3", "BL4"]\n\n[github]\nwrite-delay = 0\n'
STORY = "As a shopper I want to see delivery dates so that I can plan my week."
#: The client's read timeout in a run with a timeout fault, and how long the fake stalls.
READ_TIMEOUT, STALL = 0.2, 0.5
#: GitHub serves at most 100 issues per GraphQL page: a second page needs a 101st issue.
GITHUB_MID_PAGE_TICKETS = 101


@dataclass
class Site:
    """One fake tracker seeded with tickets that all have findings, and how to run backlint."""

    kind: str  # github, cloud or dc
    source: str
    env: dict[str, str]
    secrets: tuple[str, ...]
    keys: list[str]
    server: Any
    markers: Callable[[str], list[Any]]
    labels: Callable[[str], list[str]]
    writes: Callable[[], int]
    #: Checks that the armed fault was met, and waits for requests a fault held back.
    checks: list[Callable[[], bool]] = field(default_factory=list)
    settle: list[Callable[[], object]] = field(default_factory=list)
    armed: dict[int, int] = field(default_factory=dict)

    @property
    def github(self) -> bool:
        return self.kind == "github"


def _github(tickets: int) -> Iterator[Site]:
    with FakeGitHub() as fake:
        for _ in range(tickets):
            fake.add_issue("o/r", title="Fix", body="short", labels=["bug"])

        def number(key: str) -> int:
            return int(key.rsplit("#", 1)[1])

        def markers(key: str) -> list[Any]:
            return [
                c
                for c in fake.comments_on("o/r", number(key))
                if (c["body"] or "").startswith("<!-- backlint -->")
            ]

        yield Site(
            "github",
            "github:o/r",
            fake.env(),
            (fake.token,),
            [f"o/r#{n}" for n in range(1, tickets + 1)],
            fake,
            markers,
            lambda key: fake.labels_on("o/r", number(key)),
            lambda: len(fake.writes),
        )


def _jira(dialect: str) -> Iterator[Site]:
    cloud = dialect == "cloud"
    # Two tickets a page: four tickets are two pages, so a read can fail between them.
    with FakeJira(dialect=dialect, max_page=2) as fake:
        keys = [f"SHOP-{n}" for n in range(1, TICKETS + 1)]
        fake.add_issues(
            make_issue(key, cloud=cloud, summary=f"Delivery dates, part {n}", description=(STORY,))
            for n, key in enumerate(keys, 1)
        )
        env = environ_for(fake)
        secrets = tuple(v for k, v in env.items() if k in ("JIRA_API_TOKEN", "JIRA_PAT"))
        yield Site(
            dialect,
            "jira:SHOP",
            env,
            secrets,
            keys,
            fake,
            fake.marker_comments,
            fake.labels,
            lambda: len(fake.writes()),
        )


# -- the faults --------------------------------------------------------------------------------
# Each takes the site and arms the fault; ``clear`` below disarms whatever is left.

GH_GRAPHQL = "/api/graphql"
GH_COMMENT = r"/issues/\d+/comments$"
JIRA_SEARCH = r"^search"
JIRA_COMMENT = r"^issue/[^/]+/comment$"


def _nth(site: Site, pattern: str, method: str | None, n: int, arm: Callable[[], None]) -> None:
    """Arm a fault just in time for the ``n``-th request matching ``method`` and ``pattern``.

    The fake GitHub calls ``on_request`` before it looks for a fault, the fake Jira after: so on
    GitHub the fault is armed at the n-th request itself, on Jira at the one before it.
    """
    seen = [0]
    at = n if site.github else n - 1
    lock = threading.Lock()

    def hook(request: Any) -> None:
        path = request.path if site.github else request.api_path
        if (method is None or request.method == method) and re.search(pattern, path):
            with lock:
                seen[0] += 1
                if seen[0] == at:
                    arm()

    site.server.on_request = hook
    site.checks.append(lambda: seen[0] >= n)


def _stall(site: Site, pattern: str, method: str) -> None:
    """Hold back the answer to the first matching request past the client's read timeout."""
    started, finished = threading.Event(), threading.Event()

    def hook(request: Any) -> None:
        path = request.path if site.github else request.api_path
        if request.method == method and re.search(pattern, path) and not started.is_set():
            started.set()
            time.sleep(STALL)
            finished.set()

    site.server.on_request = hook
    site.checks.append(started.is_set)
    # The held request is carried out after the client gave up: wait for it before the fake
    # stops, or its handler fails on a stopped server (and prints into the next test's run).
    site.settle.append(lambda: finished.wait(5))


def rate_limit(site: Site, read: bool) -> None:
    """429 with Retry-After, once."""
    if site.github:
        path, method = (GH_GRAPHQL, "POST") if read else (GH_COMMENT, "POST")
        site.server.inject_rate_limit(
            path, kind="primary", status=429, retry_after=3, method=method
        )
    else:
        path, method = (JIRA_SEARCH, None) if read else (JIRA_COMMENT, "POST")
        site.server.fail(method, path, 429, {"Retry-After": "3"})


def secondary_limit(site: Site, read: bool) -> None:
    """GitHub's secondary limit: 403, no Retry-After (wait at least a minute), once."""
    path = GH_GRAPHQL if read else GH_COMMENT
    site.server.inject_rate_limit(path, kind="secondary", status=403, method="POST")


def server_error(site: Site, read: bool, times: int) -> None:
    """5xx, ``times`` times in a row."""
    if site.github:
        path = GH_GRAPHQL if read else GH_COMMENT
        site.server.inject(path, 502, method="POST", times=times)
    else:
        path, method = (JIRA_SEARCH, None) if read else (JIRA_COMMENT, "POST")
        site.server.fail(method, path, 503, times=times)


def timeout(site: Site, read: bool) -> None:
    """The answer comes later than the client waits for it (once)."""
    if site.github and not read:
        # PyGithub's timeout is fixed at 30 s: the write is carried out and its answer never
        # comes, which is what the client of a timed-out write sees.
        site.server.inject(GH_COMMENT, method="POST", drop=True, after=True)
    elif site.github:
        _stall(site, GH_GRAPHQL, "POST")
    elif read:
        _stall(site, JIRA_SEARCH, "GET")
    else:
        _stall(site, JIRA_COMMENT, "POST")


def reset_mid_page(site: Site, read: bool) -> None:
    """The connection drops at the second page of the read: the first page was served."""
    if site.github:
        _nth(site, GH_GRAPHQL, "POST", 2, lambda: site.server.inject(GH_GRAPHQL, drop=True))
    else:
        _nth(site, JIRA_SEARCH, None, 2, lambda: site.server.fail(None, JIRA_SEARCH, None))


def half_write(site: Site, comment_fails: bool) -> None:
    """One ticket's write-back fails halfway: its label is written and its comment refused
    (GitHub writes labels first), or its comment written and its label refused (Jira writes
    the comment first); refused for good (403), so no retry saves it."""
    body = {"message": "Resource not accessible by integration"}
    if site.github:
        path = r"/issues/2/comments$" if comment_fails else r"/issues/2/labels$"
        site.server.inject(path, 403, method="POST", body=body, times=100)
    else:
        if comment_fails:
            site.server.fail("POST", r"^issue/SHOP-2/comment$", 403, times=100)
        else:
            site.server.fail("PUT", r"^issue/SHOP-2$", 403, times=100)
    if site.github == comment_fails:  # the half this tracker writes first has landed
        key = site.keys[1]
        site.checks.append(lambda: (NEEDS_WORK in site.labels(key)) != bool(site.markers(key)))


FAULTS: dict[str, Callable[[Site], None]] = {
    "read-429-retry-after": lambda s: rate_limit(s, read=True),
    "read-secondary-limit": lambda s: secondary_limit(s, read=True),
    "read-5xx-once": lambda s: server_error(s, read=True, times=1),
    "read-5xx-always": lambda s: server_error(s, read=True, times=10_000),
    "read-timeout": lambda s: timeout(s, read=True),
    "read-reset-mid-page": lambda s: reset_mid_page(s, read=True),
    "write-429-retry-after": lambda s: rate_limit(s, read=False),
    "write-secondary-limit": lambda s: secondary_limit(s, read=False),
    "write-5xx-once": lambda s: server_error(s, read=False, times=1),
    "write-5xx-always": lambda s: server_error(s, read=False, times=10_000),
    "write-timeout": lambda s: timeout(s, read=False),
    "write-half-comment-fails": lambda s: half_write(s, comment_fails=True),
    "write-half-label-fails": lambda s: half_write(s, comment_fails=False),
}
GITHUB_ONLY = {"read-secondary-limit", "write-secondary-limit"}
CELLS = [
    pytest.param((kind, fault), fault, id=f"{kind}-{fault}")
    for fault in FAULTS
    for kind in ("github", "cloud", "dc")
    if kind == "github" or fault not in GITHUB_ONLY
]


def met(site: Site) -> bool:
    """Whether the faulty run met the fault it was given (no cell passes by missing it)."""
    # A fault still listed has been met if its count shrank (the fake Jira drops spent ones);
    # one armed later by a hook is checked by the hook's own check.
    shrunk = all(f.times < site.armed.get(id(f), f.times + 1) for f in site.server.faults)
    return shrunk and all(check() for check in site.checks)


def clear(site: Site) -> None:
    """Disarm every fault and hook: the tracker is healthy again."""
    for wait in site.settle:
        wait()
    site.server.on_request = None
    site.server.faults.clear()


# -- running backlint ----------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".backlint.toml").write_text(CONFIG, encoding="utf-8")
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    shutil.copy(instant_trackers.__file__, plugins / "instant_trackers.py")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def audit_apply(site: Site, read_timeout: float | None = None) -> tuple[int, str, int]:
    """One ``backlint audit SOURCE --apply``: (exit status, all its output, writes made).

    ``read_timeout`` shortens the clients' read timeout for this run only: the runs that must
    converge keep backlint's, so a slow machine cannot make them fail.
    """
    before = site.writes()
    args = ["--plugins-dir", "plugins", "audit", site.source, "--apply", *NOW]
    env = {**site.env, "BACKLINT_LOAD_PLUGINS": "", "BACKLINT_NO_PROGRESS": "1"}
    if read_timeout:
        env[instant_trackers.READ_TIMEOUT_ENV] = str(read_timeout)
    result = CliRunner().invoke(cli, args, env=env)
    output = result.stdout + result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"crashed: {result.exception!r}\n{output}")
    return result.exit_code, output, site.writes() - before


def assert_kept_the_promise(site: Site, status: int, output: str) -> None:
    """Success, or exit 2 with one-line reasons; no traceback, no token."""
    assert status in (0, 1, 2), output
    assert "Traceback" not in output, output
    for secret in site.secrets:
        assert secret not in output
    if status == 2:
        reasons = [line for line in output.splitlines() if _is_reason(line)]
        assert reasons, output
        assert all(len(line) < 400 for line in reasons), reasons


#: A reason for exit 2: a ticket's failed write, the stop of write-back, or the run's error line.
REASON = re.compile(r"^\s*\S+: write failed: |^backlint: (?!.*(waiting|retrying))|stopped")


def _is_reason(line: str) -> bool:
    return bool(REASON.search(line))


def assert_converged(site: Site) -> None:
    for key in site.keys:
        assert len(site.markers(key)) == 1, key
        assert NEEDS_WORK in site.labels(key), key


@pytest.fixture
def site(request: pytest.FixtureRequest, folder: Path) -> Iterator[Site]:
    kind, fault = request.param
    if kind == "github":
        tickets = GITHUB_MID_PAGE_TICKETS if fault == "read-reset-mid-page" else TICKETS
        yield from _github(tickets)
    else:
        yield from _jira(kind)


@pytest.mark.parametrize(("site", "fault"), CELLS, indirect=["site"])
def test_fault_then_a_clean_rerun_converges(site: Site, fault: str) -> None:
    """The faulty run keeps its promise and meets the fault; the next converges; the third
    writes nothing."""
    FAULTS[fault](site)
    site.armed = {id(f): f.times for f in site.server.faults}

    status, output, _ = audit_apply(site, READ_TIMEOUT if "timeout" in fault else None)

    assert_kept_the_promise(site, status, output)
    assert met(site), f"the run never met the fault {fault}"
    clear(site)
    status, output, _ = audit_apply(site)
    assert status in (0, 1), output
    assert_converged(site)
    status, output, writes = audit_apply(site)
    assert status in (0, 1) and writes == 0, output
    assert_converged(site)
