"""What the command line prints around a report: colour, statistics, the next step."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import IO

from backlint.model import Finding


def use_color(choice: str, stream: IO[str], environ: Mapping[str, str] | None = None) -> bool:
    """Whether to colour: ``always``/``never`` win; ``auto`` honours ``FORCE_COLOR`` (any
    non-empty value but ``0``) and ``NO_COLOR`` (any value), then asks whether it is a terminal.
    """
    environ = os.environ if environ is None else environ
    if choice in ("always", "never"):
        return choice == "always"
    force = environ.get("FORCE_COLOR", "")
    if force and force != "0":
        return True
    if "NO_COLOR" in environ:
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def statistics_lines(findings: Sequence[Finding]) -> list[str]:
    """One line per rule, most frequent first, as ruff's ``--statistics`` prints them:
    count, code, name."""
    counts = Counter(f.rule for f in findings)
    names = {f.rule: f.name for f in findings}
    ordered = sorted(counts, key=lambda code: (-counts[code], code))
    width = max((len(str(counts[code])) for code in ordered), default=1)
    return [f"{counts[code]:>{width}}\t{code:<7}\t{names[code]}" for code in ordered]


def next_step(findings: Sequence[Finding], planned: int, applied: bool) -> str | None:
    """One line that says what to do now, or None when there is nothing to do."""
    ticket_findings = [f for f in findings if f.family != "run" and f.audience != "backlog"]
    if any(f.family == "run" for f in findings):
        return "Next: the run had problems (family run above); fix those first."
    if not ticket_findings:
        return None
    if planned and not applied:
        return (
            f"Next: fix the tickets, or rerun with --apply to write {planned} "
            f"{'comment' if planned == 1 else 'comments'} and labels (--limit N to start small)."
        )
    top = Counter(f.rule for f in ticket_findings).most_common(1)[0][0]
    return (
        f"Next: `backlint rules {top}` explains the most frequent finding; "
        "`--format html --output report.html` makes a page to share."
    )
