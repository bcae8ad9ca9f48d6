"""``backlint merge``: one report from the JSON reports of a sharded audit.

Each input is a file ``backlint audit --format json`` wrote (one per matrix job, say); the
merged report is rendered in any format, with the health score recomputed over every ticket and
a "By source" row per input. No tracker is contacted. The exit status is audit's: 2 when the
merged findings include run problems (a rule crashed, a ticket was unreadable), 1 for a finding
at or above ``--fail-on``, else 0.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from backlint.errors import ConfigError
from backlint.hookspecs import hookimpl
from backlint.model import Finding, Severity


def merge_exit_status(findings: list[Finding], fail_on: Severity | None) -> int:
    """Audit's exit rule over merged findings (``backlint.audit.exit_status`` needs a live
    run's write results, which a saved report does not have)."""
    if any(f.family == "run" for f in findings):
        return 2
    if fail_on is None:
        return 0
    return 1 if any(fail_on <= f.severity for f in findings) else 0


@hookimpl
def register_commands(cli: click.Group) -> None:
    @cli.command("merge")
    @click.argument("reports", nargs=-1)
    @click.option("--format", "fmt", default="text", show_default=True, help="Report format.")
    @click.option("--output", type=click.Path(dir_okay=False), help="Write the report here.")
    @click.option(
        "--fail-on",
        type=click.Choice(["error", "warning", "info", "never"]),
        default="error",
        show_default=True,
        help="Exit 1 when a merged finding is at or above this severity.",
    )
    @click.pass_obj
    def merge_command(
        session: Any, reports: tuple[str, ...], fmt: str, output: str | None, fail_on: str
    ) -> None:
        """Merge JSON reports (`backlint audit --format json`) into one, in any format."""
        from backlint.cli.report_command import load_json_report, render
        from backlint.report.merge import merge_reports

        if not reports:
            raise ConfigError("merge: pass one or more JSON reports (backlint audit --format json)")
        registry = session.registry
        if fmt not in registry.reporters:  # before reading anything: a typo fails fast
            available = ", ".join(sorted(registry.reporters))
            raise ConfigError(f"unknown format {fmt!r} (available: {available})")
        merged = merge_reports([(path, load_json_report(path)) for path in reports])
        for warning in merged.warnings:
            click.echo(f"backlint: {warning}", err=True)
        render(merged.report, fmt, output, registry)
        threshold = None if fail_on == "never" else Severity.parse(fail_on)
        sys.exit(merge_exit_status(list(merged.report.findings), threshold))
