"""What the human-facing reports (text, markdown, html, csv-summary) show, computed once.

A :class:`Digest` is a plain view of a
:class:`~backlint.report.report.Report`: one row per family and
per rule, the tickets with findings worst first, and the trend when history is attached. Every
format reads the same digest, so they never disagree on a figure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from backlint.model import Finding, Severity
from backlint.report.report import Report, TicketSummary
from backlint.report.score import Score, TicketHealth, band_of, natural_key, ordered_families

SEVERITIES = ("error", "warning", "info")


class _CountedRow:
    """A row with ``counts`` by severity; ``findings`` is their total."""

    __slots__ = ()
    counts: Mapping[str, int]

    @property
    def findings(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class FamilyRow(_CountedRow):
    """One family: its score (None for unscored families such as ``run``) and counts."""

    family: str
    score: int | None
    tickets: int
    counts: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class RuleRow(_CountedRow):
    """One rule with findings: code, name, family, counts by severity, tickets affected."""

    code: str
    name: str
    family: str
    tickets: int
    counts: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class TicketRow:
    """A ticket with findings, as the worst-first lists show it."""

    ticket: TicketSummary
    health: TicketHealth | None
    findings: Sequence[Finding]

    @property
    def percent(self) -> int | None:
        return self.health.percent if self.health else None

    def count(self, severity: str) -> int:
        return sum(f.severity.value == severity for f in self.findings)


@dataclass(frozen=True, slots=True)
class BacklogRow:
    """A finding about the backlog as a whole (priority inflation, WIP), stated once.

    The engine reports it on each ticket it concerns (the JSON report keeps those); the human
    formats show it once, with the number of tickets it concerns.
    """

    code: str
    name: str
    family: str
    severity: Severity
    message: str
    tickets: int


@dataclass(frozen=True, slots=True)
class Trend:
    """The history section, typed: scores over runs and what changed since the previous run."""

    runs: Sequence[Mapping[str, Any]]
    new: Sequence[Mapping[str, Any]]
    fixed: Sequence[Mapping[str, Any]]
    left: Sequence[Mapping[str, Any]]
    #: Sentences saying what a change of configuration (not of tickets) did to the figures.
    notes: Sequence[str] = ()

    @property
    def previous(self) -> Mapping[str, Any] | None:
        return self.runs[-2] if len(self.runs) > 1 else None

    @property
    def delta(self) -> int | None:
        """Score change since the previous run; None on the first recorded run."""
        previous = self.previous
        if previous is None:
            return None
        return int(self.runs[-1]["score"]) - int(previous["score"])


@dataclass(frozen=True)
class Digest:
    """Everything a human-facing report shows."""

    report: Report
    score: Score
    families: Sequence[FamilyRow]
    rules: Sequence[RuleRow]
    worst: Sequence[TicketRow]
    trend: Trend | None
    counts: Mapping[str, int] = field(default_factory=dict)
    backlog: Sequence[BacklogRow] = ()

    @property
    def band(self) -> str:
        return band_of(self.score.overall)


def digest(report: Report) -> Digest:
    """Build the digest of ``report``."""
    score = report.score
    by_ticket = report.findings_by_ticket()
    summaries = {t.key: t for t in report.tickets}
    families = []
    for family in ordered_families(set(score.families) | {f.family for f in report.findings}):
        own = [f for f in report.findings if f.family == family]
        families.append(
            FamilyRow(
                family=family,
                score=score.families.get(family),
                tickets=len({f.ticket for f in own}),
                counts=_counts(own),
            )
        )
    rule_findings: dict[str, list[Finding]] = {}
    for finding in report.findings:
        rule_findings.setdefault(finding.rule, []).append(finding)
    rules = sorted(
        (
            RuleRow(
                code=code,
                name=found[0].name,
                family=found[0].family,
                tickets=len({f.ticket for f in found}),
                counts=_counts(found),
            )
            for code, found in rule_findings.items()
        ),
        key=lambda row: (-row.findings, row.code),
    )
    # Backlog-wide findings are listed once, not under every ticket they concern.
    own = {key: [f for f in found if f.audience != "backlog"] for key, found in by_ticket.items()}
    worst = [
        TicketRow(summaries[h.key], h, _ordered(own[h.key]))
        for h in score.worst()
        if own.get(h.key)
    ]
    # Findings the score does not count (run problems, backlog-level keys) still get listed.
    listed = {row.ticket.key for row in worst}
    for key in sorted((k for k in own if k not in listed and own[k]), key=natural_key):
        ticket = summaries.get(key) or TicketSummary(
            key, "", own[key][0].url, "", "", "", None, None, (), None, None
        )
        worst.append(TicketRow(ticket, score.tickets.get(key), _ordered(own[key])))
    return Digest(
        report=report,
        score=score,
        families=families,
        rules=rules,
        worst=worst,
        trend=trend_of(report),
        counts=_counts(report.findings),
        backlog=backlog_rows(report.findings),
    )


def backlog_rows(findings: Sequence[Finding]) -> list[BacklogRow]:
    """The backlog-wide findings, one row per rule and message."""
    grouped: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        if finding.audience == "backlog":
            grouped.setdefault((finding.rule, finding.message), []).append(finding)
    return [
        BacklogRow(f[0].rule, f[0].name, f[0].family, f[0].severity, message, len(f))
        for (_, message), f in sorted(grouped.items())
    ]


def _counts(findings: Sequence[Finding]) -> dict[str, int]:
    counter = Counter(f.severity.value for f in findings)
    return {name: counter.get(name, 0) for name in SEVERITIES}


def _ordered(findings: Sequence[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-f.severity.rank, f.rule, f.message))


def trend_of(report: Report) -> Trend | None:
    """The typed history section of ``report``, or None when it has none."""
    history = report.history
    if not history or not history.get("runs"):
        return None
    return Trend(
        runs=list(history["runs"]),
        new=list(history.get("new") or ()),
        fixed=list(history.get("fixed") or ()),
        left=list(history.get("left") or ()),
        notes=[str(note) for note in history.get("notes") or ()],
    )


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``1 ticket``, ``2 tickets``."""
    return f"{count} {noun if count == 1 else plural_form or noun + 's'}"


def severity_phrase(counts: Mapping[str, int]) -> str:
    """``1 error, 3 warnings, 0 info``."""
    return ", ".join(
        f"{counts.get(name, 0)} {name}" if name == "info" else plural(counts.get(name, 0), name)
        for name in SEVERITIES
    )


def worst_severity(findings: Sequence[Finding]) -> Severity | None:
    """The highest severity among ``findings``."""
    return max((f.severity for f in findings), key=lambda s: s.rank, default=None)
