"""Markdown → normalised text: the converter before issue 15 against the CommonMark one.

    PYTHONPATH=src python bench/bench_markdown.py            # 5 rounds, best of each
    PYTHONPATH=src python bench/bench_markdown.py --rounds 9

Converts every body of the NLBSE GitHub issues (``../shared/corpora``, 3,000 bodies) with
both converters in the same run, alternating round by round, and prints bodies/s and MB/s
(UTF-8 megabytes of Markdown read) of each one's best round. Time is the process's CPU time,
so other work on the machine does not count. The old converter is
``bench/markdown_before.py``, a frozen copy.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Callable
from pathlib import Path

from backlint.markup import markdown_to_text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "judgement"))
from corpora import CORPORA, FOLDERS  # noqa: E402
from markdown_before import markdown_to_text as markdown_before  # noqa: E402


def bodies() -> list[str]:
    """Every Markdown body of the NLBSE corpus (pull requests and questions included)."""
    folder = CORPORA / FOLDERS["nlbse"]
    csv.field_size_limit(10**9)
    found = []
    for name in ("issues_train.csv", "issues_test.csv"):
        with (folder / name).open(encoding="utf-8", errors="replace") as handle:
            found += [row["body"] for row in csv.DictReader(handle)]
    return found


def _seconds(convert: Callable[[str], str], texts: list[str]) -> float:
    start = time.process_time()
    for text in texts:
        convert(text)
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    if not (CORPORA / FOLDERS["nlbse"]).is_dir():
        print(f"bench_markdown: {CORPORA / FOLDERS['nlbse']} not found", file=sys.stderr)
        return 2
    texts = bodies()
    megabytes = sum(len(text.encode("utf-8")) for text in texts) / 1e6
    converters = {"before (regex lines)": markdown_before, "CommonMark": markdown_to_text}
    best = dict.fromkeys(converters, float("inf"))
    for _ in range(max(1, args.rounds)):
        for name, convert in converters.items():
            best[name] = min(best[name], _seconds(convert, texts))
    before = best["before (regex lines)"]
    print(f"{len(texts)} bodies, {megabytes:.2f} MB; best of {args.rounds} rounds\n")
    print("| converter | seconds | bodies/s | MB/s | speed-up |")
    print("|---|---:|---:|---:|---:|")
    for name, seconds in best.items():
        print(
            f"| {name} | {seconds:.3f} | {len(texts) / seconds:,.0f} | "
            f"{megabytes / seconds:.1f} | {before / seconds:.2f}x |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
