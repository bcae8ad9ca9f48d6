"""How long ``backlint audit github:o/r --apply`` takes when every label write fails.

The scenario of issue 14: a backlog of N issues that all need a comment and a label, on a
GitHub (the fake, on 127.0.0.1) that answers every label write with HTTP 500. The command runs
as a user runs it: real sleeps, the default write pacing (``[github] write-delay`` 1 s) and the
default failure budget. It prints the wall time, the writes attempted, the tickets written and
the tickets held back.

Run: ``PYTHONPATH=src python bench/bench_budget.py [--issues 213] [--status 500]``.
Target: the run ends in seconds (not 15 s per ticket), exit status 2, every planned ticket
either written, failed or named as not written.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from click.testing import CliRunner  # noqa: E402
from fakes.github_server import FakeGitHub  # noqa: E402

from backlint.cli.main import cli  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=213)
    parser.add_argument("--status", type=int, default=500)
    args = parser.parse_args()
    os.environ["BACKLINT_LOAD_PLUGINS"] = ""
    with FakeGitHub() as fake:
        for _ in range(args.issues):
            fake.add_issue("o/r", title="Fix")  # too short a title: a comment and a label
        fake.inject(r"/labels$", args.status, method="POST", times=10**9)
        os.environ.update(fake.env())
        started = time.perf_counter()
        result = CliRunner().invoke(
            cli, ["audit", "github:o/r", "--apply", "--select", "BL101", "--now", "2026-11-22"]
        )
        seconds = time.perf_counter() - started
        attempted = len(fake.writes)
    lines = result.stdout.splitlines()
    failed = sum("write failed" in line for line in lines)
    stop = next((line for line in lines if line.startswith("Write-back stopped")), "")
    print(
        f"budget: {args.issues} issues, every label write HTTP {args.status}: exit "
        f"{result.exit_code} after {seconds:.1f} s; {attempted} write requests, "
        f"{failed} tickets failed"
    )
    print(f"  {stop[:200]}" if stop else "  (write-back did not stop early)")
    return 0 if result.exit_code == 2 else 1


if __name__ == "__main__":
    sys.exit(main())
