"""Where reports and write-back plans go: stdout, or a file written whole or not at all."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from backlint.audit import Audit
from backlint.plugins import Registry
from backlint.report.report import Report


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
        from dataclasses import replace

        report = replace(report, plans=plans)
    write_report(reporter, report, output, options)


def write_report(
    reporter: Callable[..., None],
    report: Report,
    output: str | None,
    options: dict[str, Any] | None = None,
) -> None:
    """Render ``report`` with ``reporter`` to ``output`` (a path, written atomically) or stdout.

    Without ``options["color"]``, colour only on a terminal without ``NO_COLOR``; a file gets no
    colour and 100 columns.
    """
    extra = dict(options or {})
    if output is None:
        extra.setdefault("color", sys.stdout.isatty() and "NO_COLOR" not in os.environ)
        reporter(report, sys.stdout, {"width": None, **extra})
        sys.stdout.flush()
        return
    buffer = io.StringIO()
    reporter(report, buffer, {**extra, "color": False, "width": 100})
    write_atomically(Path(output), buffer.getvalue())


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so a failure leaves no half file.

    Missing folders are created, and that is said on stderr (one line): a typo in ``--output``
    should not silently grow a new folder tree.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        click.echo(f"backlint: created the folder {folder} for {path.name}", err=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        # mkstemp makes the file private; a report is meant to be shared like any file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def print_plans(
    result: Audit, applied: bool, to_stderr: bool, show_comments: bool = False
) -> None:
    """The write-back plan (dry run) or what was written (with --apply); ``show_comments``
    prints, under each plan, the comment it would write."""
    echo = (lambda line: click.echo(line, err=True)) if to_stderr else click.echo
    if not result.plans:
        echo("Write-back: nothing to change.")
        return
    if applied:
        failed = [r for r in result.results if r.error]
        writes = sum(r.writes for r in result.results)
        echo(f"Write-back: {writes} writes on {len(result.results) - len(failed)} tickets.")
        for outcome in failed:
            echo(f"  {outcome.ticket}: write failed: {outcome.error}")
        if result.stopped:
            echo(stop_line(result))
    else:
        echo(
            f"Write-back plan (dry run; pass --apply to make these changes), "
            f"{len(result.plans)} tickets:"
        )
        for plan in result.plans:
            echo(f"  {plan.ticket}: " + "; ".join(plan.describe()))
            if show_comments and plan.comment_body:
                for line in plan.comment_body.split("\n", 2)[-1].splitlines():
                    echo(f"    | {line}".rstrip())
    if result.held_back:
        echo(f"  {result.held_back} more tickets need changes; --limit held them back.")


def stop_line(result: Audit, shown: int = 10) -> str:
    """One line: why write-back stopped and which planned tickets it did not write."""
    keys = [plan.ticket for plan in result.not_written]
    named = ", ".join(keys[:shown])
    if len(keys) > shown:
        named += f" and {len(keys) - shown} more"
    return (
        f"Write-back stopped: {result.stopped}; {len(keys)} planned tickets not written "
        f"({named}). The next run picks them up."
    )
