"""Time every report format and the history write on a synthetic backlog.

    PYTHONPATH=src python bench/bench_reports.py [TICKETS] [FINDINGS]

Prints a table: format, seconds, output size. Figures go in docs/benchmarks.md ("Reports").
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from backlint.history.runs import record_and_attach
from backlint.model import FAMILIES, Finding, Severity
from backlint.plugins import load_plugins
from backlint.report.report import Report, TicketSummary

NOW = datetime(2026, 11, 22, tzinfo=UTC)


def synthetic(tickets: int, findings: int) -> Report:
    """A backlog of ``tickets`` with ``findings`` spread over 30 rules and six families."""
    summaries = [
        TicketSummary(
            f"P-{i}",
            f"Ticket number {i} about checkout",
            f"https://x.example/P-{i}",
            "story",
            "To Do",
            "todo",
            ("High", "Medium", "Low")[i % 3],
            i % 3,
            ("team", f"area-{i % 7}"),
            (NOW - timedelta(days=i % 500)).isoformat(),
            None,
        )
        for i in range(tickets)
    ]
    found = sorted(
        Finding(
            f"P-{i % tickets}",
            f"BL{100 + i % 30}",
            f"rule-{i % 30}",
            FAMILIES[i % 6],
            list(Severity)[i % 3],
            f"message {i}",
            f"https://x.example/P-{i % tickets}",
        )
        for i in range(findings)
    )
    return Report("jira:P", NOW, summaries, found, {})


def main() -> None:
    tickets = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    findings = int(sys.argv[2]) if len(sys.argv) > 2 else 30_000
    base = synthetic(tickets, findings)
    registry = load_plugins([])
    print(f"{tickets} tickets, {findings} findings")
    print(f"{'format':<12} {'seconds':>8} {'MB':>7}")
    for fmt in ("text", "json", "markdown", "html", "csv", "csv-summary"):
        report = Report(base.source, base.generated_at, base.tickets, base.findings, {})
        stream = io.StringIO()
        started = time.perf_counter()
        registry.reporters[fmt](report, stream, {"color": False, "width": 100})
        seconds = time.perf_counter() - started
        print(f"{fmt:<12} {seconds:8.2f} {len(stream.getvalue().encode()) / 1e6:7.1f}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "h.sqlite"
        started = time.perf_counter()
        record_and_attach(path, base)
        seconds = time.perf_counter() - started
        print(f"{'history':<12} {seconds:8.2f} {path.stat().st_size / 1e6:7.1f}")


if __name__ == "__main__":
    main()
