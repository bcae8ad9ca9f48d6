"""Two backlint runs at once on the same tickets: how many marker comments are left?

    PYTHONPATH=src python bench/bench_concurrency.py [--trials 8] [--latency 0.1]
        [--tickets 4] [--scenario action|github|cloud|dc ...] [--src PATH]

Each trial starts two real processes at the same moment against a fresh fake tracker that
answers every request after ``--latency`` seconds (issue 14 measured with 100 ms):

* ``action``: two ``backlint action`` processes for one ``issues.opened`` event (GitHub);
* ``github``, ``cloud``, ``dc``: two ``backlint audit SOURCE --apply`` processes over
  ``--tickets`` tickets on GitHub, Jira Cloud or Jira Data Center.

Nothing lines the two runs up: whether they race is left to timing, as in production. Per
scenario it prints the trials, the trials in which both runs created a ticket's comment (a
race happened), the duplicate marker comments left when both runs were done, those left after
one more run, and the writes of the run after that (target: 0, 0 and 0). ``--src`` runs the
processes from another checkout's ``src`` (e.g. the commit before the fix) for comparison.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakes.github_server import FakeGitHub  # noqa: E402
from fakes.jira_payloads import make_issue  # noqa: E402
from fakes.jira_server import FakeJira, environ_for  # noqa: E402

REPO = "acme/checkout-web"
PAYLOADS = ROOT / "tests" / "fixtures" / "action"
MANAGED = ("backlint:needs-work", "needs-acceptance-criteria")
CONFIG = 'select = ["BL1", "BL2", "BL3", "BL4"]\n\n[github]\nwrite-delay = 0\n'
STORY = "As a shopper I want to see delivery dates so that I can plan my week."
NOW = ["--now", "2026-11-22"]


@dataclass
class Trial:
    """One trial's counts."""

    raced: bool  # both runs created some ticket's comment
    after_race: int  # duplicate marker comments when both runs were done
    after_rerun: int  # ... after one more run
    writes_after: int  # writes of the run after that


@dataclass
class Target:
    """A seeded fake tracker and the commands that run backlint against it."""

    command: list[str]
    env: dict[str, str]
    keys: list[Any]
    markers: Callable[[Any], int]
    creates: Callable[[], int]
    writes: Callable[[], int]
    server: Any


def base_env(src: str, extra: dict[str, str]) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GITHUB_", "GH_", "JIRA_", "INPUT_"))
    }
    env.update(extra, PYTHONPATH=src, BACKLINT_LOAD_PLUGINS="")
    return env


def github_markers(fake: FakeGitHub, repo: str, number: int) -> int:
    return sum(
        1
        for c in fake.comments_on(repo, number)
        if (c["body"] or "").startswith("<!-- backlint -->")
    )


def action_target(fake: FakeGitHub, folder: Path, src: str) -> Target:
    """One opened issue with findings, its labels existing; the event file for it."""
    payload = json.loads((PAYLOADS / "issues.opened.json").read_text(encoding="utf-8"))
    issue = copy.deepcopy(payload["issue"])
    for name in [label["name"] for label in issue["labels"]] + list(MANAGED):
        if name.lower() not in fake.repo(REPO).labels:
            fake.add_label(REPO, name)
    issue["labels"] = [fake.repo(REPO).labels[label["name"].lower()] for label in issue["labels"]]
    fake.repo(REPO).issues[issue["number"]] = issue
    payload["issue"] = copy.deepcopy(issue)
    event = folder / "event.json"
    event.write_text(json.dumps(payload), encoding="utf-8")
    env = base_env(
        src,
        {
            **fake.env(),
            "GITHUB_EVENT_NAME": "issues",
            "GITHUB_EVENT_PATH": str(event),
            "GITHUB_REPOSITORY": REPO,
            "GITHUB_WORKSPACE": str(folder),
            "GITHUB_OUTPUT": str(folder / "output"),
            "GITHUB_STEP_SUMMARY": str(folder / "summary"),
        },
    )
    number = issue["number"]
    return Target(
        [sys.executable, "-m", "backlint", "action", *NOW],
        env,
        [number],
        lambda n: github_markers(fake, REPO, n),
        lambda: len(fake.requests("POST", r"/comments$")),
        lambda: len(fake.writes),
        fake,
    )


def github_target(fake: FakeGitHub, tickets: int, src: str) -> Target:
    for _ in range(tickets):
        fake.add_issue("o/r", title="Fix", body="short", labels=["bug"])
    return Target(
        [sys.executable, "-m", "backlint", "audit", "github:o/r", "--apply", *NOW],
        base_env(src, fake.env()),
        list(range(1, tickets + 1)),
        lambda n: github_markers(fake, "o/r", n),
        lambda: len(fake.requests("POST", r"/comments$")),
        lambda: len(fake.writes),
        fake,
    )


def jira_target(fake: FakeJira, tickets: int, src: str) -> Target:
    keys = [f"SHOP-{n}" for n in range(1, tickets + 1)]
    fake.add_issues(
        make_issue(key, cloud=fake.cloud, summary=f"Delivery dates, part {n}", description=(STORY,))
        for n, key in enumerate(keys, 1)
    )

    def markers(key: str) -> int:
        return len(fake.marker_comments(key))  # no person quotes backlint here

    return Target(
        [sys.executable, "-m", "backlint", "audit", "jira:SHOP", "--apply", *NOW],
        base_env(src, environ_for(fake)),
        keys,
        markers,
        lambda: len(fake.requests("POST", r"/comment$")),
        lambda: len(fake.writes()),
        fake,
    )


def run(target: Target, folder: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        target.command,
        cwd=folder,
        env=target.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(processes: list[subprocess.Popen[str]]) -> None:
    for process in processes:
        _, stderr = process.communicate(timeout=600)
        if process.returncode not in (0, 1):
            raise SystemExit(f"backlint failed ({process.returncode}): {stderr.strip()}")


def duplicates(target: Target) -> int:
    return sum(max(target.markers(key) - 1, 0) for key in target.keys)


def trial(scenario: str, args: argparse.Namespace, folder: Path) -> Trial:
    (folder / ".backlint.toml").write_text(CONFIG, encoding="utf-8")
    src = args.src or str(ROOT / "src")
    if scenario in ("action", "github"):
        server: Any = FakeGitHub(latency=args.latency)
    else:
        server = FakeJira(dialect=scenario, latency=args.latency)
    server.start()
    try:
        if scenario == "action":
            target = action_target(server, folder, src)
        elif scenario == "github":
            target = github_target(server, args.tickets, src)
        else:
            target = jira_target(server, args.tickets, src)
        finish([run(target, folder), run(target, folder)])
        raced = target.creates() > len(target.keys)
        after_race = duplicates(target)
        server.latency = 0.0  # the runs after need no delay: only their outcome counts
        finish([run(target, folder)])
        after_rerun = duplicates(target)
        before = target.writes()
        finish([run(target, folder)])
        return Trial(raced, after_race, after_rerun, target.writes() - before)
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.1, help="fake delay per request, s")
    parser.add_argument("--tickets", type=int, default=4, help="tickets per audit scenario")
    parser.add_argument(
        "--scenario",
        action="append",
        choices=["action", "github", "cloud", "dc"],
        help="repeat to choose several (default: all)",
    )
    parser.add_argument("--src", help="run backlint from this src folder instead")
    args = parser.parse_args()
    scenarios = args.scenario or ["action", "github", "cloud", "dc"]

    print(
        f"two runs at once, {args.trials} trials each, fake latency "
        f"{args.latency * 1000:.0f} ms per request, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f} at start"
    )
    print(
        f"{'scenario':<30} {'trials':>6} {'raced':>6} {'dup. after race':>16} "
        f"{'dup. after one more run':>24} {'writes of the run after':>24}"
    )
    labels = {
        "action": "action, one opened event",
        "github": f"audit --apply, GitHub, {args.tickets} issues",
        "cloud": f"audit --apply, Jira Cloud, {args.tickets}",
        "dc": f"audit --apply, Jira DC, {args.tickets}",
    }
    for scenario in scenarios:
        results = []
        with tempfile.TemporaryDirectory() as tmp:
            for index in range(args.trials):
                folder = Path(tmp) / f"trial{index}"
                folder.mkdir()
                results.append(trial(scenario, args, folder))
        print(
            f"{labels[scenario]:<30} {len(results):>6} {sum(r.raced for r in results):>6} "
            f"{sum(r.after_race for r in results):>16} "
            f"{sum(r.after_rerun for r in results):>24} "
            f"{sum(r.writes_after for r in results):>24}"
        )


if __name__ == "__main__":
    main()
