"""The ``csv`` and ``csv-summary`` reports, ready for a spreadsheet.

``csv``: a header row, then one row per finding with the ticket's title, priority, status and
labels beside it, and the ticket's health (0–100). ``csv-summary``: the backlog score and one row
per family. Both are UTF-8 with a byte-order mark (so Excel reads accents right; Python readers
use ``encoding="utf-8-sig"``) and CRLF line ends (RFC 4180).

Tracker text is data, never a formula: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return gets a leading apostrophe, as OWASP recommends against CSV injection.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

from backlint.hookspecs import hookimpl
from backlint.report.digest import digest
from backlint.report.report import Report

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

FINDING_COLUMNS = (
    "ticket",
    "title",
    "rule",
    "name",
    "family",
    "severity",
    "message",
    "url",
    "ticket_health",
    "kind",
    "status",
    "priority",
    "labels",
    "created",
    "updated",
)
SUMMARY_COLUMNS = ("family", "score", "tickets", "findings", "errors", "warnings", "info")


def cell(value: object) -> str:
    """A value as a CSV cell that no spreadsheet evaluates as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _writer(stream: IO[str], options: dict[str, Any]) -> Any:
    if options.get("bom", True):
        stream.write(BOM)
    return csv.writer(stream, lineterminator="\r\n")


def _rows(writer: Any, rows: Iterable[Iterable[object]]) -> None:
    for row in rows:
        writer.writerow([cell(value) for value in row])


def write_csv(report: Report, stream: IO[str], options: dict[str, Any]) -> None:
    """One row per finding, findings in report order (by ticket, then rule)."""
    writer = _writer(stream, options)
    writer.writerow(FINDING_COLUMNS)
    tickets = {t.key: t for t in report.tickets}
    health = report.score.tickets
    rows = []
    for finding in report.findings:
        ticket = tickets.get(finding.ticket)
        ticket_health = health.get(finding.ticket)
        rows.append(
            (
                finding.ticket,
                ticket.title if ticket else "",
                finding.rule,
                finding.name,
                finding.family,
                finding.severity.value,
                finding.message,
                finding.url or (ticket.url if ticket else ""),
                ticket_health.percent if ticket_health else "",
                ticket.kind if ticket else "",
                ticket.status if ticket else "",
                (ticket.priority or "") if ticket else "",
                "; ".join(ticket.labels) if ticket else "",
                (ticket.created or "") if ticket else "",
                (ticket.updated or "") if ticket else "",
            )
        )
    _rows(writer, rows)


def write_csv_summary(report: Report, stream: IO[str], options: dict[str, Any]) -> None:
    """The score per family, with a first row ``(all)`` for the whole backlog."""
    view = digest(report)
    writer = _writer(stream, options)
    writer.writerow(SUMMARY_COLUMNS)
    flagged = report.summary["tickets_with_findings"]
    rows: list[tuple[object, ...]] = [
        ("(all)", view.score.overall, flagged, sum(view.counts.values()), *view.counts.values())
    ]
    for row in view.families:
        score = "" if row.score is None else row.score
        rows.append((row.family, score, row.tickets, row.findings, *row.counts.values()))
    _rows(writer, rows)


@hookimpl
def register_reporters(register):
    register("csv", write_csv)
    register("csv-summary", write_csv_summary)
