"""Benchmark: ``backlint audit github:...`` against the fake GitHub with latency per request.

Reads: N issues (default 10,000) served with 50 ms latency; the audit runs as a real
``python -m backlint`` process, so wall time includes start-up and peak memory is that process's
alone (the fake runs here, in the benchmark's process). Writes: a first and a second ``--apply``
over a smaller repository (default 1,000 issues, no latency: the targets are counts).

    PYTHONPATH=src python bench/bench_github.py [--issues 10000] [--write-issues 1000]

Targets (issue #3): reads <= ceil(N/100) + 1 requests; audit < 10 s; peak memory < 300 MB;
first apply <= 2 writes per ticket with findings + 1 per new label; second apply 0 writes.
Issue 15: the tracker read (fetch and map, timed from the first request) <= 4 s, within 1.5x of
its floor: the same two chains of requests with nothing mapped, measured alternately in this
run (and shown against the bare wait, round trips x latency).
"""

from __future__ import annotations

import argparse
import math
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakes.github_server import FakeGitHub  # noqa: E402

BODIES = [
    "As an admin I want to export the monthly report as CSV so that finance can reconcile it.\n\n"
    "## Acceptance criteria\n- [ ] a CSV file downloads\n- [ ] columns match the screen\n",
    "The export button does nothing on Safari 17.\n\n### Steps\n1. open reports\n2. click export"
    "\n\n### Expected\nA file downloads.\n\n### Actual\nNothing happens.\n",
    "Improve things",
    "",
    "Given a signed-in user\nWhen they open settings\nThen they see the new theme switch\n",
]
TITLES = ["Fix", "Export monthly report as CSV for finance", "Crash when saving a draft offline"]


def populate(fake: FakeGitHub, repo: str, count: int) -> None:
    """Deterministic mix: some clean, most with one or two problems, a few comments each."""
    for number in range(1, count + 1):
        labels = [["bug"], ["P2"], [], ["enhancement", "P1"], ["bug", "P1"]][number % 5]
        fake.add_issue(
            repo,
            number=number,
            title=TITLES[number % 3] + ("" if number % 3 == 0 else f" #{number}"),
            body=BODIES[number % 5],
            labels=labels,
            milestone="v2.0" if number % 4 == 0 else None,
            assignees=["alice"] if number % 2 else [],
            priority="High" if number % 7 == 0 else None,
        )
        for index in range(number % 4):
            fake.add_comment(repo, number, f"Comment {index} on {number}", author=f"user{index}")


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def run_cli(fake: FakeGitHub, args: list[str], config: Path) -> tuple[float, str]:
    env = {
        **os.environ,
        **fake.env(),
        "PYTHONPATH": str(ROOT / "src"),
        "BACKLINT_LOAD_PLUGINS": "",
    }
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "backlint", *args, "--config", str(config), "--now", "2026-02-01"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"backlint failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed, done.stdout + done.stderr


FETCH_ONLY = """
import sys, time
from backlint.config.config import load_config
from backlint.trackers.base import FetchOptions
from backlint.trackers.github.paging import fetch_issue_nodes
from backlint.trackers.github.tracker import GitHubTracker
connection = GitHubTracker().open(sys.argv[1], load_config(sys.argv[2]))
started = time.perf_counter()
if sys.argv[3] == "raw":  # the same two chains of requests, nothing mapped: the floor
    nodes = fetch_issue_nodes(
        connection.graphql, connection.owner, connection.name, FetchOptions(), connection.shape
    )
    count = sum(1 for _ in nodes)
else:
    count = sum(1 for _ in connection.fetch(FetchOptions()))
print(count, time.perf_counter() - started)
"""


def run_fetch_only(
    fake: FakeGitHub, source: str, config: Path, raw: bool = False
) -> tuple[float, float]:
    """The tracker's share: fetch and map every issue to a Ticket, nothing else (``raw``: the
    same requests with nothing mapped). Seconds of the whole process, and from the tracker's
    first request (start-up and imports left out)."""
    env = {**os.environ, **fake.env(), "PYTHONPATH": str(ROOT / "src")}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", FETCH_ONLY, source, str(config), "raw" if raw else "map"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - started, float(done.stdout.split()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=10_000)
    parser.add_argument("--write-issues", type=int, default=1_000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--repeat", type=int, default=3, help="audit runs; the median counts")
    args = parser.parse_args()
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as folder, FakeGitHub(latency=args.latency) as fake:
        config = Path(folder) / ".backlint.toml"
        config.write_text("[github]\nwrite-delay = 0\n", encoding="utf-8")
        out = Path(folder) / "report.json"

        populate(fake, "bench/big", args.issues)
        walls = []
        cpu_child, cpu_fake = _cpu(resource.RUSAGE_CHILDREN), _cpu(resource.RUSAGE_SELF)
        for _ in range(args.repeat):
            fake.clear_log()
            wall, _ = run_cli(
                fake,
                ["audit", "github:bench/big", "--format", "json", "--output", str(out)],
                config,
            )
            walls.append(wall)
        wall = statistics.median(walls)
        cpu_child = (_cpu(resource.RUSAGE_CHILDREN) - cpu_child) / args.repeat
        cpu_fake = (_cpu(resource.RUSAGE_SELF) - cpu_fake) / args.repeat
        reads = len(fake.log)  # of the last audit
        floors, fetches = [], []
        for _ in range(args.repeat):  # alternated, so load on the machine hits both alike
            floors.append(run_fetch_only(fake, "github:bench/big", config, raw=True))
            fetches.append(run_fetch_only(fake, "github:bench/big", config))
        fetch_process = statistics.median(p for p, _ in fetches)
        floor_wall = statistics.median(r for _, r in floors)
        fetch_wall = statistics.median(r for _, r in fetches)
        wait_floor = math.ceil(math.ceil(args.issues / 100) / 2) * args.latency
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        allowed = math.ceil(args.issues / 100) + 1
        rows += [
            (
                f"audit {args.issues} issues: requests",
                str(reads),
                f"<= {allowed}",
                _ok(reads <= allowed),
            ),
            (
                f"audit wall time, median of {args.repeat} ({args.latency * 1000:.0f} ms/request)",
                f"{wall:.2f} s",
                "< 10 s",
                _ok(wall < 10),
            ),
            ("tracker read process (start-up, fetch + map)", f"{fetch_process:.2f} s", "-", ""),
            (
                "  tracker read from its first request",
                f"{fetch_wall:.2f} s",
                "<= 4 s",
                _ok(fetch_wall <= 4),
            ),
            ("  read floor: same requests, nothing mapped", f"{floor_wall:.2f} s", "-", ""),
            (
                "  read / floor",
                f"{fetch_wall / floor_wall:.2f}",
                "<= 1.5",
                _ok(fetch_wall <= 1.5 * floor_wall),
            ),
            ("  two-chain wait alone (round trips x latency)", f"{wait_floor:.2f} s", "-", ""),
            ("  read / two-chain wait", f"{fetch_wall / wait_floor:.2f}", "-", ""),
            ("audit CPU time (backlint process)", f"{cpu_child:.2f} s", "-", ""),
            ("fake server CPU time per audit", f"{cpu_fake:.2f} s", "-", ""),
            ("audit peak memory (RSS)", f"{peak_mb:.0f} MB", "< 300 MB", _ok(peak_mb < 300)),
        ]

        fake.latency = 0.0
        populate(fake, "bench/writes", args.write_issues)
        fake.clear_log()
        wall, _ = run_cli(
            fake,
            ["audit", "github:bench/writes", "--apply", "--format", "json", "--output", str(out)],
            config,
        )
        writes = fake.writes
        label_creations = len(
            [
                w
                for w in writes
                if w.path.endswith("/labels") and re.search(r"/repos/[^/]+/[^/]+/labels$", w.path)
            ]
        )
        changed = len(
            {
                re.search(r"/issues/(\d+)/", w.path).group(1)
                for w in writes
                if re.search(r"/issues/(\d+)/", w.path)
            }
        )
        per_ticket = (len(writes) - label_creations) / max(changed, 1)
        rows += [
            (
                f"first apply ({args.write_issues} issues): writes",
                str(len(writes)),
                f"<= 2 x {changed} tickets + {label_creations} labels",
                _ok(len(writes) <= 2 * changed + label_creations),
            ),
            (
                "first apply: writes per changed ticket",
                f"{per_ticket:.2f}",
                "<= 2",
                _ok(per_ticket <= 2),
            ),
            ("first apply wall time (no latency)", f"{wall:.1f} s", "-", ""),
        ]
        fake.clear_log()
        wall, _ = run_cli(
            fake,
            ["audit", "github:bench/writes", "--apply", "--format", "json", "--output", str(out)],
            config,
        )
        rows += [
            ("second apply: writes", str(len(fake.writes)), "0", _ok(not fake.writes)),
            (
                "second apply: requests",
                str(len(fake.log)),
                f"<= {math.ceil(args.write_issues / 100) + 1}",
                _ok(len(fake.log) <= math.ceil(args.write_issues / 100) + 1),
            ),
        ]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, load average {load}")
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>10}  {'target':<28}  ok")
    for name, value, target, ok in rows:
        print(f"{name:<{width}}  {value:>10}  {target:<28}  {ok}")


def _ok(passed: bool) -> str:
    return "yes" if passed else "NO"


if __name__ == "__main__":
    main()
