"""The ``github`` report: one workflow-command annotation per finding, for GitHub Actions logs.

``backlint audit SOURCE --format github`` inside a workflow step turns each finding into an
error, warning or notice annotation (info → notice) on the run's page. Issues have no file or
line, so the annotation's title names the rule and the ticket, and the message ends with the
ticket's link. Every value is escaped as ``@actions/core`` escapes it, so ticket text cannot
inject workflow commands. A closing notice gives the summary line.
"""

from __future__ import annotations

from typing import IO, Any

from backlint.hookspecs import hookimpl
from backlint.model import Finding
from backlint.report.digest import plural
from backlint.report.report import Report
from backlint.report.workflow_commands import annotation


def finding_annotation(finding: Finding, url: str = "") -> str:
    """The annotation line for one finding, with the ticket's link when it has one."""
    link = finding.url or url
    message = f"{finding.ticket}: {finding.message}"
    if link:
        message += f" ({link})"
    title = f"{finding.rule} {finding.name} · {finding.ticket}"
    return annotation(finding.severity.value, message, title=title)


def summary_message(report: Report) -> str:
    """``N tickets checked, M with findings, K findings (e error, w warning, i info)``."""
    summary = report.summary
    severities = ", ".join(f"{count} {name}" for name, count in summary["by_severity"].items())
    return (
        f"{plural(len(report.tickets), 'ticket')} checked, {summary['tickets_with_findings']} "
        f"with findings, {plural(summary['findings'], 'finding')} ({severities})"
    )


def write_github(report: Report, stream: IO[str], options: dict[str, Any]) -> None:
    """Write one annotation per finding (sorted as the report is), then a summary notice."""
    urls = {ticket.key: ticket.url for ticket in report.tickets}
    for finding in report.findings:
        stream.write(finding_annotation(finding, urls.get(finding.ticket, "")) + "\n")
    stream.write(annotation("info", summary_message(report), title="backlint") + "\n")


@hookimpl
def register_reporters(register):
    register("github", write_github)
