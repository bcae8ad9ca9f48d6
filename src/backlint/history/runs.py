"""Audit history in SQLite: each run's score, per-rule counts and ticket/finding pairs.

``record_run`` stores one report with the fingerprint of its configuration; ``trend_for`` reads
the runs of the same source back as the ``history`` section reporters show (score over time,
tickets newly broken, tickets fixed, and what a change of configuration did); ``load_report``
rebuilds a stored report for ``backlint report --history``.

When the rule set changed between two runs, new and fixed compare only the rules that ran in
both: findings of a rule that no longer runs are not "fixed", findings of a rule that now runs
are not "newly broken"; ``config_change`` and ``notes`` say what happened instead.

The file format, opening and locking are in :mod:`backlint.history.store`.

The ``history`` section (``Report.extra["history"]``, also the JSON report's ``history`` key)::

    {"runs": [{"id", "generated_at", "score", "families", "tickets", "findings",
               "tickets_with_findings", "errors", "warnings", "infos"}, ...],   # oldest first
     "current": id, "previous": id | None,
     "new": [{"key", "title", "url", "rules"}],      # findings now, none in the previous run
     "fixed": [{"key", "title", "url", "rules"}],    # findings then, still listed, clean now
     "left": [{"key", "title", "url", "rules"}],     # findings then, not in this audit at all
     "config_change": {...} | None,   # ConfigChange.to_dict() when the configuration changed
     "notes": ["The rule selection changed since the previous run: ...", ...]}
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Mapping, Sequence
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from backlint.errors import SourceError
from backlint.history.fingerprint import change_notes, compare, fingerprint, from_stored_report
from backlint.history.store import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    HistoryError,
    connect,
    has_config_column,
    sqlite_failures,
    transaction,
)
from backlint.model import Finding
from backlint.report.report import Report, report_from_dict, report_to_dict
from backlint.report.score import SCORE_VERSION, natural_key

# The file's identity and errors stay importable from here, where callers and tests look.
__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "TREND_RUNS",
    "HistoryError",
    "connect",
    "load_report",
    "record_and_attach",
    "record_run",
    "trend_for",
    "with_trend",
]

#: How many runs of one source the trend shows (the latest ones).
TREND_RUNS = 30


def record_run(
    path: str | Path,
    report: Report,
    rules: Iterable[Any] | None = None,
    settings: Mapping[str, Any] | None = None,
) -> int:
    """Store ``report`` as one run in one transaction; return the run's id.

    ``rules`` (the rules that ran, with their options) and ``settings`` (the config's settings)
    make the configuration fingerprint complete; without them it holds the report's rule
    codes and severities and backlint's version.
    """
    summary = report.summary
    score = report.score
    data = report_to_dict(report.replaced(extra={}, plans=()))
    blob = zlib.compress(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    severities = summary["by_severity"]
    path = Path(path)
    with closing(connect(path)) as db, sqlite_failures(path), transaction(db):
        cursor = db.execute(
            "INSERT INTO runs (source, generated_at, recorded_at, tickets, "
            "tickets_with_findings, findings, errors, warnings, infos, score, score_formula, "
            "families, report, config) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                report.source,
                report.generated_at.isoformat(),
                datetime.now(UTC).isoformat(timespec="seconds"),
                len(report.tickets),
                summary["tickets_with_findings"],
                summary["findings"],
                severities.get("error", 0),
                severities.get("warning", 0),
                severities.get("info", 0),
                score.overall,
                SCORE_VERSION,
                json.dumps(dict(score.families)),
                blob,
                json.dumps(fingerprint(report, rules, settings), sort_keys=True),
            ),
        )
        run_id = int(cursor.lastrowid or 0)
        counts: dict[tuple[str, str], list[Any]] = {}
        for f in report.findings:
            entry = counts.setdefault((f.rule, f.severity.value), [f.name, f.family, 0])
            entry[2] += 1
        db.executemany(
            "INSERT INTO rule_counts VALUES (?, ?, ?, ?, ?, ?)",
            [(run_id, r, n, fam, sev, c) for (r, sev), (n, fam, c) in sorted(counts.items())],
        )
        db.executemany(
            "INSERT INTO findings VALUES (?, ?, ?, ?, ?)",
            [(run_id, f.ticket, f.rule, f.family, f.severity.value) for f in report.findings],
        )
        db.executemany(
            "INSERT OR IGNORE INTO run_tickets VALUES (?, ?, ?, ?)",
            [(run_id, t.key, t.title, t.url) for t in report.tickets],
        )
    return run_id


def trend_for(path: str | Path, run_id: int, report: Report | None = None) -> dict[str, Any]:
    """The ``history`` section for run ``run_id``: its source's runs up to it, new and fixed.
    ``report`` is that run's report when the caller has it in hand (it was just recorded):
    its findings and tickets are then not read back from the file."""
    path = Path(path)
    with closing(connect(path, create=False)) as db, sqlite_failures(path):
        source = db.execute("SELECT source FROM runs WHERE id = ?", (run_id,)).fetchone()
        if source is None:
            raise HistoryError(f"{path}: no run {run_id}")
        rows = db.execute(
            "SELECT id, generated_at, score, families, tickets, findings, tickets_with_findings, "
            "errors, warnings, infos FROM runs WHERE source = ? AND id <= ? "
            "ORDER BY id DESC LIMIT ?",
            (source[0], run_id, TREND_RUNS),
        ).fetchall()
        runs = [_run_row(row) for row in reversed(rows)]
        previous = runs[-2]["id"] if len(runs) > 1 else None
        trend: dict[str, Any] = {
            "runs": runs,
            "current": run_id,
            "previous": previous,
            "new": [],
            "fixed": [],
            "left": [],
        }
        if previous is not None:
            change = compare(_fingerprint(db, previous), _fingerprint(db, run_id))
            trend.update(_changes(db, previous, run_id, change.removed, change.added, report))
            if change:
                removed = _count_findings(db, previous, change.removed)
                added = _count_findings(db, run_id, change.added)
                trend["config_change"] = change.to_dict()
                trend["notes"] = change_notes(change, removed, added)
    return trend


def _fingerprint(db: sqlite3.Connection, run_id: int) -> dict[str, Any]:
    """A run's configuration fingerprint; for a run of schema 1, read from its stored report."""
    if has_config_column(db):
        row = db.execute("SELECT config FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row and row[0]:
            return dict(json.loads(row[0]))
    blob = db.execute("SELECT report FROM runs WHERE id = ?", (run_id,)).fetchone()[0]
    try:
        return from_stored_report(json.loads(zlib.decompress(blob).decode("utf-8")))
    except (zlib.error, UnicodeDecodeError, ValueError, AttributeError):
        return {}  # unknown: nothing is compared


def _count_findings(db: sqlite3.Connection, run_id: int, rules: Sequence[str]) -> int:
    """How many findings of ``rules`` run ``run_id`` had (the run family left out)."""
    if not rules:
        return 0
    marks = ", ".join("?" * len(rules))
    query = (
        f"SELECT count(*) FROM findings WHERE run_id = ? AND family != 'run' AND rule IN ({marks})"
    )
    return int(db.execute(query, (run_id, *rules)).fetchone()[0])


def _run_row(row: tuple[Any, ...]) -> dict[str, Any]:
    names = ("id", "generated_at", "score", "families", "tickets", "findings")
    names += ("tickets_with_findings", "errors", "warnings", "infos")
    run = dict(zip(names, row, strict=True))
    run["families"] = json.loads(run["families"])
    return run


def _flagged(
    db: sqlite3.Connection, run_id: int, leave_out: Iterable[str] = ()
) -> dict[str, list[str]]:
    """Ticket → sorted rule codes of its findings (the run family left out, as in the score,
    and the rules of ``leave_out``)."""
    flagged: dict[str, set[str]] = {}
    skip = set(leave_out)
    query = "SELECT ticket, rule FROM findings WHERE run_id = ? AND family != 'run'"
    for ticket, rule in db.execute(query, (run_id,)):
        if rule not in skip:
            flagged.setdefault(ticket, set()).add(rule)
    return {key: sorted(rules) for key, rules in flagged.items()}


def _flagged_in(findings: Iterable[Finding], leave_out: Iterable[str] = ()) -> dict[str, list[str]]:
    """:func:`_flagged` of findings in hand."""
    flagged: dict[str, set[str]] = {}
    skip = set(leave_out)
    for finding in findings:
        if finding.family != "run" and finding.rule not in skip:
            flagged.setdefault(finding.ticket, set()).add(finding.rule)
    return {key: sorted(rules) for key, rules in flagged.items()}


def _changes(
    db: sqlite3.Connection,
    previous: int,
    current: int,
    removed: Sequence[str] = (),
    added: Sequence[str] = (),
    report: Report | None = None,
) -> dict[str, list[Any]]:
    """New, fixed and departed tickets, judged only by rules that ran in both runs (a rule
    ``removed`` since the previous run fixes nothing; a rule ``added`` breaks nothing)."""
    everything_before = _flagged(db, previous)  # read once: both uses below come from it
    gone = set(removed)
    before = {
        key: kept
        for key, rules in everything_before.items()
        if (kept := [rule for rule in rules if rule not in gone])
    }
    if report is None:
        now, tickets_now = _flagged(db, current, added), _tickets(db, current)
    else:
        now = _flagged_in(report.findings, added)
        tickets_now = {}
        for ticket in report.tickets:
            tickets_now.setdefault(ticket.key, (ticket.title, ticket.url))
    tickets_before = _tickets(db, previous)

    def entry(key: str, rules: list[str], known: Mapping[str, tuple[str, str]]) -> dict[str, Any]:
        title, url = known.get(key, ("", ""))
        return {"key": key, "title": title, "url": url, "rules": rules}

    new = [entry(k, now[k], tickets_now) for k in now if k not in before]
    fixed = [entry(k, before[k], tickets_now) for k in before if k not in now and k in tickets_now]
    # Departed tickets are listed whatever rules they failed: they left the audit either way.
    left = [
        entry(k, everything_before[k], tickets_before)
        for k in everything_before
        if k not in tickets_now
    ]
    order = lambda item: natural_key(item["key"])  # noqa: E731
    return {
        key: sorted(items, key=order)
        for key, items in (("new", new), ("fixed", fixed), ("left", left))
    }


def _tickets(db: sqlite3.Connection, run_id: int) -> dict[str, tuple[str, str]]:
    rows = db.execute("SELECT key, title, url FROM run_tickets WHERE run_id = ?", (run_id,))
    return {key: (title, url) for key, title, url in rows}


def record_and_attach(
    path: str | Path,
    report: Report,
    rules: Iterable[Any] | None = None,
    settings: Mapping[str, Any] | None = None,
) -> Report:
    """Record ``report`` in the history at ``path``; return it with its trend attached.

    Pass the run's ``rules`` and the config's ``settings`` for a complete fingerprint (see
    :func:`record_run`).
    """
    run_id = record_run(path, report, rules, settings)
    return with_trend(report, trend_for(path, run_id, report))


def with_trend(report: Report, trend: Mapping[str, Any]) -> Report:
    """A copy of ``report`` carrying the ``history`` section."""
    return report.replaced(extra={**report.extra, "history": dict(trend)})


def load_report(path: str | Path, source: str | None = None, run_id: int | None = None) -> Report:
    """A stored run (the latest, or of ``source``, or ``run_id``) rebuilt, trend attached."""
    path = Path(path)
    with closing(connect(path, create=False)) as db, sqlite_failures(path):
        if run_id is not None:
            row = db.execute("SELECT id, report FROM runs WHERE id = ?", (run_id,)).fetchone()
        elif source is not None:
            row = db.execute(
                "SELECT id, report FROM runs WHERE source = ? ORDER BY id DESC LIMIT 1", (source,)
            ).fetchone()
        else:
            row = db.execute("SELECT id, report FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        wanted = f"run {run_id}" if run_id is not None else f"runs of {source}" if source else ""
        raise HistoryError(f"{path}: history holds no {wanted or 'runs'}")
    try:
        data = json.loads(zlib.decompress(row[1]).decode("utf-8"))
        report = report_from_dict(data, origin=f"{path} run {row[0]}")
    except (zlib.error, UnicodeDecodeError, ValueError, SourceError) as err:
        raise HistoryError(f"{path}: run {row[0]} is damaged ({err})") from None
    return with_trend(report, trend_for(path, row[0]))
