"""Benchmark: incremental audits (``--history H --since last``) against a full audit, on the fake
GitHub and the fake Jira with latency per request.

Per tracker, over N issues (default 10,000), every audit a real ``python -m backlint`` process
(wall time includes start-up) writing the JSON report of the whole backlog to a file:

1. full: ``audit SOURCE --history H`` (which also stores the backlog);
2. incremental: C issues changed (default 100), then ``audit SOURCE --history H --since last``;
3. after writes: a full ``--apply --limit W`` run without latency wrote comments and labels to W
   tickets (default 500), C other issues changed, then ``--since last`` again: the W tickets come
   back once (their update time moved), are found unchanged and cost no writes.

    PYTHONPATH=src python bench/bench_incremental.py [--issues 10000] [--changed 100]
        [--written 500] [--latency 0.05] [--trackers github,jira]

Targets (issue 17): C = 100 changed of 10,000 cost <= ceil(C/100) + 2 requests and < 2 s at
50 ms per request. The floor (same machine, same moment) is ``backlint --version``: process
start-up alone.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_github import populate  # noqa: E402
from fakes.github_server import FakeGitHub  # noqa: E402
from fakes.jira_payloads import make_issue  # noqa: E402
from fakes.jira_server import FakeJira, environ_for  # noqa: E402

STORY = "As a shopper I want to see my delivery date so that I can plan to be at home."
AC = ("## Acceptance criteria", "- The date shows on the cart page|It updates when I move")


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli(env: dict[str, str], args: list[str]) -> tuple[float, float]:
    """One ``python -m backlint`` process; (wall seconds, CPU seconds of that process)."""
    env = {**os.environ, **env, "PYTHONPATH": str(ROOT / "src"), "BACKLINT_LOAD_PLUGINS": ""}
    started, cpu = time.perf_counter(), _child_cpu()
    done = subprocess.run(
        [sys.executable, "-m", "backlint", *args], env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"backlint failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return elapsed, _child_cpu() - cpu


def github_stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def jira_stamp(ahead: float = 0.0) -> str:
    moment = datetime.now(UTC) + timedelta(seconds=ahead)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000+0000")


class GitHubBench:
    name = "GitHub"
    source = "github:bench/big"

    def __init__(self, issues: int) -> None:
        self.fake = FakeGitHub().start()
        populate(self.fake, "bench/big", issues)
        self.fake.write_time = github_stamp  # a write moves the issue's updated_at

    def env(self) -> dict[str, str]:
        return self.fake.env()

    def set_latency(self, seconds: float) -> None:
        self.fake.latency = seconds

    def requests(self) -> int:
        count = len(self.fake.log)
        self.fake.clear_log()
        return count

    def change(self, numbers: range) -> None:
        for number in numbers:
            issue = self.fake.repo("bench/big").issues[number]
            issue["title"] = f"Show the delivery date for order {number} on the cart page"
            issue["updated_at"] = github_stamp()

    def stop(self) -> None:
        self.fake.stop()


class JiraBench:
    name = "Jira Cloud"
    source = "jira:BIG"

    def __init__(self, issues: int) -> None:
        self.fake = FakeJira(dialect="cloud")
        self.fake.start()
        for n in range(1, issues + 1):
            bad = n % 10 == 0
            issue = make_issue(
                f"BIG-{n}",
                cloud=True,
                summary="update" if bad else f"Show delivery date for order line {n}",
                description=(STORY,) if bad else (STORY, *AC),
            )
            issue["fields"]["updated"] = "2026-06-01T09:00:00.000+0000"
            self.fake.add_issue(issue)

    def env(self) -> dict[str, str]:
        return environ_for(self.fake)

    def set_latency(self, seconds: float) -> None:
        self.fake.latency = seconds
        self.fake.now = jira_stamp(ahead=2.0)  # writes made from now on are "after" this run

    def requests(self) -> int:
        count = len(self.fake.log)
        self.fake.log.clear()
        return count

    def change(self, numbers: range) -> None:
        for number in numbers:
            fields = self.fake.issues[f"BIG-{number}"]["fields"]
            fields["summary"] = f"Show the delivery date for order {number} on the cart page"
            fields["updated"] = jira_stamp()

    def stop(self) -> None:
        self.fake.stop()


def measure(bench, args, folder: Path) -> list[tuple[str, int, float, float, int]]:
    """(scenario, requests, wall s, CPU s, tickets reported) for the three scenarios."""
    history, out = folder / f"{bench.name[:4]}.sqlite", folder / "report.json"
    config = folder / ".backlint.toml"
    config.write_text("[github]\nwrite-delay = 0\n", encoding="utf-8")
    base = [
        *("audit", bench.source, "--config", str(config), "--history", str(history)),
        *("--format", "json"),
        *("--output", str(out), "--now", "2026-02-01", "--allow-empty"),
    ]
    rows = []

    def audit(label: str, *extra: str) -> None:
        bench.requests()
        seconds, cpu = cli(bench.env(), [*base, *extra])
        tickets = json.loads(out.read_text())["tickets"]
        rows.append((label, bench.requests(), seconds, cpu, tickets))

    bench.set_latency(args.latency)
    audit("full audit (stores the backlog)")
    bench.change(range(1, args.changed + 1))
    audit(f"--since last, {args.changed} changed", "--since", "last")
    bench.set_latency(0.0)
    cli(bench.env(), [*base, "--apply", "--limit", str(args.written)])  # writes W tickets
    bench.set_latency(args.latency)
    bench.change(range(args.changed + 1, 2 * args.changed + 1))
    audit(
        f"--since last, {args.changed} changed, {args.written} written by the last run",
        "--since",
        "last",
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=10_000)
    parser.add_argument("--changed", type=int, default=100)
    parser.add_argument("--written", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--trackers", default="github,jira")
    args = parser.parse_args()
    floor, floor_cpu = cli({}, ["--version"])
    bound = math.ceil(args.changed / 100) + 2
    print(
        f"{args.issues} issues, {args.latency * 1000:.0f} ms per request; floor (process "
        f"start-up, `backlint --version`) {floor:.2f} s wall, {floor_cpu:.2f} s CPU; load average "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
    )
    print("| tracker | run | requests | wall s | x floor | vs full | CPU s | tickets reported |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name in args.trackers.split(","):
        bench = {"github": GitHubBench, "jira": JiraBench}[name.strip()](args.issues)
        try:
            with tempfile.TemporaryDirectory() as folder:
                rows = measure(bench, args, Path(folder))
        finally:
            bench.stop()
        full_seconds = rows[0][2]
        for label, requests, seconds, cpu, tickets in rows:
            print(
                f"| {bench.name} | {label} | {requests} | {seconds:.2f} | {seconds / floor:.1f} "
                f"| {seconds / full_seconds:.0%} | {cpu:.2f} | {tickets} |"
            )
        print(f"|  | target for {args.changed} changed | <= {bound} | < 2 |  |  |  |  |")


if __name__ == "__main__":
    main()
