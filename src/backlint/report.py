"""The report every reporter renders: findings, the tickets they are about, and a summary.

Reporters see this object only, never a tracker or a rule. :func:`build_report` is the one place
that counts findings, so every format shows the same figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from backlint.model import FAMILIES, Finding, Severity, Ticket

REPORT_VERSION = 1


@dataclass(frozen=True, slots=True)
class TicketSummary:
    """What a report may show about a ticket besides its findings."""

    key: str
    title: str
    url: str
    kind: str
    status: str
    status_category: str
    priority: str | None
    priority_rank: int | None
    labels: tuple[str, ...]
    created: str | None
    updated: str | None

    @classmethod
    def of(cls, ticket: Ticket) -> TicketSummary:
        return cls(
            key=ticket.key,
            title=ticket.title,
            url=ticket.url,
            kind=ticket.kind,
            status=ticket.status,
            status_category=ticket.status_category,
            priority=ticket.priority.name if ticket.priority else None,
            priority_rank=ticket.priority.rank if ticket.priority else None,
            labels=ticket.labels,
            created=ticket.created.isoformat() if ticket.created else None,
            updated=ticket.updated.isoformat() if ticket.updated else None,
        )


@dataclass(frozen=True)
class Report:
    """One audit's result, ready to render."""

    source: str
    generated_at: datetime
    tickets: Sequence[TicketSummary]
    findings: Sequence[Finding]
    rules: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    plans: Sequence[Mapping[str, Any]] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def summary(self) -> dict[str, Any]:
        return summarise(self.findings, len(self.tickets))

    def findings_by_ticket(self) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = {}
        for finding in self.findings:
            grouped.setdefault(finding.ticket, []).append(finding)
        return grouped


def summarise(findings: Iterable[Finding], ticket_count: int) -> dict[str, Any]:
    """Counts per severity, family and rule, and how many tickets have findings."""
    findings = list(findings)
    by_severity = Counter(f.severity.value for f in findings)
    by_family = Counter(f.family for f in findings)
    by_rule = Counter(f.rule for f in findings)
    flagged = {f.ticket for f in findings}
    families = [name for name in FAMILIES if by_family.get(name)] + sorted(
        name for name in by_family if name not in FAMILIES
    )
    return {
        "findings": len(findings),
        "tickets_with_findings": len(flagged),
        "clean_tickets": max(0, ticket_count - len(flagged)),
        "by_severity": {s.value: by_severity.get(s.value, 0) for s in reversed(Severity)},
        "by_family": {name: by_family[name] for name in families},
        "by_rule": dict(sorted(by_rule.items())),
    }


def build_report(
    source: str,
    tickets: Iterable[Ticket],
    findings: Sequence[Finding],
    rules: Iterable[Any],
    generated_at: datetime,
) -> Report:
    """Assemble a Report from a run's tickets, findings and the rules that ran."""
    return Report(
        source=source,
        generated_at=generated_at,
        tickets=[TicketSummary.of(t) for t in tickets],
        findings=list(findings),
        rules={
            rule.code: {"name": rule.name, "family": rule.family, "severity": rule.severity.value}
            for rule in rules
        },
    )
