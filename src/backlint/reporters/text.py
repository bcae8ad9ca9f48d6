"""The ``text`` report: findings grouped by ticket, then a summary; colour on a terminal only."""

from __future__ import annotations

from typing import IO, Any

from rich.console import Console
from rich.text import Text

from backlint.hookspecs import hookimpl
from backlint.report import Report

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def write_text(report: Report, stream: IO[str], options: dict[str, Any]) -> None:
    """Write the report for a person reading a terminal or a log."""
    console = Console(
        file=stream,
        force_terminal=bool(options.get("color")),
        no_color=not options.get("color"),
        width=options.get("width") or 100,
        highlight=False,
        soft_wrap=True,
    )
    titles = {t.key: t.title for t in report.tickets}
    for key, findings in report.findings_by_ticket().items():
        header = Text(key, style="bold")
        if titles.get(key):
            header.append("  " + titles[key])
        console.print(header)
        if findings[0].url:
            console.print(Text("  " + findings[0].url, style="dim"))
        for finding in findings:
            line = Text("  ")
            line.append(
                f"{finding.severity.value:<8}", style=SEVERITY_STYLE[finding.severity.value]
            )
            line.append(f"{finding.rule} {finding.name}", style="bold")
            line.append("  " + finding.message)
            console.print(line)
        console.print()
    console.print(summary_line(report))


def summary_line(report: Report) -> Text:
    summary = report.summary
    severities = ", ".join(f"{count} {name}" for name, count in summary["by_severity"].items())
    text = Text(
        f"{len(report.tickets)} tickets checked, {summary['tickets_with_findings']} with findings, "
        f"{summary['findings']} findings ({severities})"
    )
    if summary["by_family"]:
        families = " · ".join(f"{name} {count}" for name, count in summary["by_family"].items())
        text.append("\nBy family: " + families)
    return text


@hookimpl
def register_reporters(register):
    register("text", write_text)
