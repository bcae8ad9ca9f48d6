"""Benchmark the Jira tracker against the fake Jira with per-request latency.

For each dialect (Cloud: ``/search/jql`` + ``nextPageToken``; Data Center: ``/search`` +
``startAt``) it builds a synthetic backlog of N issues (one in ten with problems), then measures:

1. audit with write-back planning (dry run) at LATENCY per request: requests and wall time;
2. the first ``--apply`` (latency off, only writes are counted): writes per ticket with findings;
3. a second ``--apply`` on the unchanged backlog at LATENCY: writes (target 0) and wall time;
4. the read alone (fetch and map every issue, best of 3) against its serial floor: the same
   pages requested one after another with nothing mapped, measured alternately in this run.

Run: ``PYTHONPATH=src python bench/bench_jira.py [--issues 10000] [--latency 0.05]``.
Targets: requests <= ceil(N/page) + 2; audit < 15 s for 10,000 issues at 50 ms; 0 writes on the
unchanged backlog; at most 2 writes per ticket with findings on the first apply; the read
within 1.2x of its serial floor (issue 15).
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from fakes.jira_payloads import make_issue  # noqa: E402
from fakes.jira_server import (  # noqa: E402
    CLOUD_EMAIL,
    CLOUD_TOKEN,
    DC_PAT,
    FakeJira,
)

from backlint.audit import apply_plans, plan_writeback, run  # noqa: E402
from backlint.config.config import Config  # noqa: E402
from backlint.plugins import load_plugins  # noqa: E402
from backlint.testing import TEST_NOW  # noqa: E402
from backlint.trackers.base import FetchOptions  # noqa: E402
from backlint.trackers.jira.tracker import JiraTracker, build_jql  # noqa: E402

STORY = "As a shopper I want to see my delivery date so that I can plan to be at home."
AC = ("## Acceptance criteria", "- The date shows on the cart page|It updates when I move")


def backlog(count: int, cloud: bool):
    for n in range(1, count + 1):
        bad = n % 10 == 0
        yield make_issue(
            f"BIG-{n}",
            cloud=cloud,
            summary="update" if bad else f"Show delivery date for order line {n}",
            description=(STORY,) if bad else (STORY, *AC),
        )


class RemoteFake:
    """The fake Jira in a child process, so its CPU time does not share our interpreter's GIL."""

    def __init__(self, dialect: str, issues: int, page: int) -> None:
        self.cloud = dialect == "cloud"
        self.conn, child = multiprocessing.Pipe()
        self.process = multiprocessing.get_context("fork").Process(
            target=_serve, args=(child, dialect, issues, page), daemon=True
        )
        self.process.start()
        self.url = self.conn.recv()

    def call(self, command: str, argument: object = None) -> object:
        self.conn.send((command, argument))
        return self.conn.recv()

    def environ(self) -> dict[str, str]:
        if self.cloud:
            return {"JIRA_URL": self.url, "JIRA_EMAIL": CLOUD_EMAIL, "JIRA_API_TOKEN": CLOUD_TOKEN}
        return {"JIRA_URL": self.url, "JIRA_PAT": DC_PAT}

    def stop(self) -> None:
        self.call("stop")
        self.process.join(5)


def _serve(conn, dialect: str, issues: int, page: int) -> None:
    fake = FakeJira(dialect=dialect, max_page=page)
    fake.start()
    fake.add_issues(backlog(issues, fake.cloud))
    conn.send(fake.url)
    while True:
        command, argument = conn.recv()
        if command == "latency":
            fake.latency = float(argument)
            conn.send(None)
        elif command == "log":  # (is_write, ...) of the requests since the last call
            conn.send([r.is_write for r in fake.log])
            fake.log.clear()
        else:
            fake.stop()
            conn.send(None)
            return


def one_run(fake: RemoteFake, apply: bool):
    registry = load_plugins()
    registry.trackers.insert(0, JiraTracker(environ=fake.environ()))
    config = Config()
    fake.call("log")
    started = time.perf_counter()
    with run("jira:BIG", config, registry, FetchOptions(), now=TEST_NOW) as result:
        plan_writeback(result, config, None)
        if apply:
            apply_plans(result)
        elapsed = time.perf_counter() - started
    return result, elapsed, fake.call("log")


def read_only(fake: RemoteFake, raw: bool) -> float:
    """Seconds to read every issue: mapped to tickets, or (``raw``) the pages alone, requested
    one after another exactly as the tracker asks for them (the serial floor)."""
    connection = JiraTracker(environ=fake.environ()).open("jira:BIG", Config())
    try:
        started = time.perf_counter()
        if raw:
            jql = build_jql(connection.source, FetchOptions())
            pages = connection.client.search(jql, connection.field_ids, connection.page_size)
            count = sum(len(issues) for issues, _ in pages)
        else:
            count = sum(1 for _ in connection.fetch(FetchOptions()))
        elapsed = time.perf_counter() - started
    finally:
        connection.close()
    assert count, "the fake served no issues"
    return elapsed


def bench(dialect: str, issues: int, latency: float, page: int) -> dict[str, object]:
    fake = RemoteFake(dialect, issues, page)
    try:
        fake.call("latency", latency)
        floors, reads_s = [], []
        for _ in range(3):  # alternated, so a burst of load on the machine hits both alike
            floors.append(read_only(fake, raw=True))
            reads_s.append(read_only(fake, raw=False))
        floor_s, read_s = min(floors), min(reads_s)
        result, audit_s, reads = one_run(fake, apply=False)
        flagged = len({f.ticket for f in result.findings})
        fake.call("latency", 0.0)  # the first apply: only its writes are counted here
        _, _, first = one_run(fake, apply=True)
        fake.call("latency", latency)
        _, rerun_s, rerun = one_run(fake, apply=True)
    finally:
        fake.stop()
    return {
        "dialect": dialect,
        "issues": len(result.tickets),
        "requests": len(reads),
        "bound": math.ceil(issues / page) + 2,
        "floor_s": floor_s,
        "read_s": read_s,
        "audit_s": audit_s,
        "flagged": flagged,
        "first_writes": sum(first),
        "per_ticket": sum(first) / flagged if flagged else 0.0,
        "rerun_writes": sum(rerun),
        "rerun_s": rerun_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=10_000)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--page", type=int, default=100, help="the fake's page size cap")
    parser.add_argument("--dialects", nargs="+", default=["cloud", "dc"])
    args = parser.parse_args()
    rows = [bench(d, args.issues, args.latency, args.page) for d in args.dialects]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"Jira tracker, {args.issues} issues, {args.latency * 1000:.0f} ms per request, "
        f"page {args.page} (load average at the end: {load} on {os.cpu_count()} cores)"
    )
    header = (
        "| dialect | issues | read requests (bound) | serial floor s | read s (x floor) "
        "| audit s | tickets flagged | first-apply writes (per ticket) "
        "| unchanged-rerun writes | rerun s |"
    )
    print(header)
    print("|" + "---|" * 10)
    for r in rows:
        print(
            f"| {r['dialect']} | {r['issues']} | {r['requests']} ({r['bound']}) "
            f"| {r['floor_s']:.2f} | {r['read_s']:.2f} ({r['read_s'] / r['floor_s']:.2f}) "
            f"| {r['audit_s']:.1f} | {r['flagged']} | {r['first_writes']} "
            f"({r['per_ticket']:.2f}) | {r['rerun_writes']} | {r['rerun_s']:.1f} |"
        )


if __name__ == "__main__":
    main()
