"""The long fuzz run: tens of thousands of export files and configs through the command line.

The same strategies as ``tests/test_fuzz.py`` (``tests/fakes/fuzz_cases.py`` and
``export_shapes.py``: GitHub arrays and issues, webhook payloads, Jira v2 searches with wiki
markup, Jira v3 pages with ADF, single Jira issues and arrays, JSON Lines, cut-short and
mis-encoded files; configs with odd and unknown keys), run as ``backlint audit FILE`` /
``backlint check FILE`` in process through click's runner, exactly as the test does, but for
many more cases, on every core, and without stopping at the first problem. It counts the cases
and the internal errors: any exit status outside 0/1/2, "internal error" or a traceback in the
output, or an exception past the command's own error handling.

Run: ``PYTHONPATH=src python bench/fuzz.py [--cases 20000] [--workers 2] [--seed 14]``.
Target: at least 20,000 cases, 0 internal errors. Prints one line per distinct problem (with
the case's command line and the start of its file), then the totals.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))


def fuzz(worker: int, count: int, seed: int) -> tuple[int, list[tuple[str, str]]]:
    """Run ``count`` cases with the worker's seed; (cases run, problems with an example each)."""
    os.environ["BACKLINT_LOAD_PLUGINS"] = ""  # as the tests: only backlint's own plugins
    from fakes.fuzz_cases import cases
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed
    from test_fuzz import problem_with, run_case

    ran = 0
    problems: dict[str, str] = {}

    @hypothesis_seed(seed * 1000 + worker)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def one(case):
        nonlocal ran
        ran += 1
        try:
            code, output = run_case(case)
            problem = problem_with(code, output)
        except Exception as err:  # the very thing this bench looks for
            problem = f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"
        if problem:
            where = " ".join(case.args) + " | " + case.export.data[:160].decode("utf-8", "replace")
            # One entry per kind of failure: escapes, numbers and quoted values left out.
            kind = re.sub(r"\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}", "\\\\uXXXX", problem)
            kind = re.sub(r"'(?![\w.]{1,30}')[^']{0,80}'", "'…'", kind)
            kind = re.sub(r"\d+", "N", kind)
            problems.setdefault(kind[:160], where)

    one()
    return ran, sorted(problems.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    share = -(-args.cases // args.workers)
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
        outcomes = pool.starmap(fuzz, [(w, share, args.seed) for w in range(args.workers)])
    seconds = time.perf_counter() - started
    ran = sum(count for count, _ in outcomes)
    problems: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for _, found in outcomes:
        for problem, where in found:
            problems[problem] += 1
            examples.setdefault(problem, where)
    for problem in sorted(problems):
        print(f"PROBLEM {problem}\n  e.g. {examples[problem]!r}")
    print(
        f"fuzz: {ran} cases in {seconds:.0f} s ({args.workers} workers, seed {args.seed}); "
        f"{len(problems)} distinct internal errors"
    )
    return 1 if problems or ran < args.cases else 0


if __name__ == "__main__":
    sys.exit(main())
