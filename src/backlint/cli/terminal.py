"""What the command line prints around a report: colour, the report itself, statistics, the
write-back plan and the next step."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import IO, Any

import click

from backlint.audit import Audit, stop_line
from backlint.model import Finding
from backlint.plugins import Registry
from backlint.report.digest import plural
from backlint.report.output import write_report


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


def emit_report(
    result: Audit,
    registry: Registry,
    fmt: str,
    output: str | None,
    options: dict[str, Any] | None = None,
) -> None:
    """Render the report with the ``fmt`` reporter to ``output`` (a path) or stdout.

    ``options`` reach the reporter (``color``, ``quiet``); colour is never written to a file.
    """
    reporter = registry.reporters[fmt]
    plans = [{"ticket": p.ticket, "url": p.url, "writes": p.describe()} for p in result.plans]
    report = result.report
    if plans:
        report = report.replaced(plans=plans)
    write_report(reporter, report, output, options)


def print_plans(result: Audit, applied: bool, to_stderr: bool, show_comments: bool = False) -> None:
    """The write-back plan (dry run) or what was written (with --apply); ``show_comments``
    prints, under each plan, the comment it would write."""
    echo = (lambda line: click.echo(line, err=True)) if to_stderr else click.echo
    if not result.plans:
        echo("Write-back: nothing to change.")
        return
    if applied:
        failed = [r for r in result.results if r.error]
        writes = sum(r.writes for r in result.results)
        done = len(result.results) - len(failed)
        echo(f"Write-back: {plural(writes, 'write')} on {plural(done, 'ticket')}.")
        for outcome in failed:
            echo(f"  {outcome.ticket}: write failed: {outcome.error}")
        if result.stopped:
            echo(stop_line(result))
    else:
        echo(
            f"Write-back plan (dry run; pass --apply to make these changes), "
            f"{plural(len(result.plans), 'ticket')}:"
        )
        for plan in result.plans:
            echo(f"  {plan.ticket}: " + "; ".join(plan.describe()))
            if show_comments and plan.comment_body:
                for line in plan.comment_body.split("\n", 2)[-1].splitlines():
                    echo(f"    | {line}".rstrip())
    if result.held_back:
        echo(f"  {result.held_back} more tickets need changes; --limit held them back.")
