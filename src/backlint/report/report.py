"""The report every reporter renders: findings, the tickets they are about, and a summary.

Reporters see this object only, never a tracker or a rule. :func:`build_report` is the one place
that counts findings, so every format shows the same figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from typing import Any

from backlint.errors import SourceError
from backlint.model import FAMILIES, Finding, Severity, Ticket
from backlint.report.score import Score, compute_score

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

    @cached_property
    def score(self) -> Score:
        """The health score (see :mod:`backlint.report.score`); families of every rule that ran."""
        families = {meta.get("family", "") for meta in self.rules.values()} - {""}
        return compute_score(self.tickets, self.findings, families)

    def replaced(self, **changes: Any) -> Report:
        """``dataclasses.replace`` that keeps the health score already computed when the
        change cannot move it (it depends on the tickets, findings and rules only; it costs
        about half a second for 10,000 tickets)."""
        copy = replace(self, **changes)
        if "score" in self.__dict__ and not {"tickets", "findings", "rules"} & changes.keys():
            copy.__dict__["score"] = self.__dict__["score"]
        return copy

    @property
    def history(self) -> Mapping[str, Any] | None:
        """The trend section :mod:`backlint.history.runs` attached, if the run kept history."""
        value = self.extra.get("history")
        return value if isinstance(value, Mapping) else None

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
            rule.code: {
                "name": rule.name,
                "family": rule.family,
                "severity": rule.severity.value,
                "audience": rule.reader,
            }
            for rule in rules
        },
    )


def report_from_dict(data: Any, origin: str = "report") -> Report:
    """Rebuild a Report from the JSON reporter's output (version 1).

    Raises SourceError naming ``origin`` when the data is not a version-1 backlint report.
    """
    if not isinstance(data, Mapping) or "findings" not in data or "version" not in data:
        raise SourceError(f"{origin}: not a backlint JSON report")
    if data["version"] != REPORT_VERSION:
        raise SourceError(
            f"{origin}: report version {data['version']!r} is not supported (expected 1)"
        )
    try:
        rules = {str(k): dict(v) for k, v in (data.get("rules") or {}).items()}
        findings = [
            Finding(
                ticket=str(item["ticket"]),
                rule=str(item["rule"]),
                name=str(item.get("name", "")),
                family=str(item.get("family", "")),
                severity=Severity.parse(item["severity"]),
                message=str(item.get("message", "")),
                url=str(item.get("url") or ""),
                audience=str(rules.get(str(item["rule"]), {}).get("audience") or "author"),
            )
            for item in data["findings"]
        ]
        tickets = [_ticket_from_dict(item) for item in data.get("ticket_details") or ()]
        generated = datetime.fromisoformat(data.get("generated_at") or "1970-01-01T00:00:00+00:00")
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        reason = f"{type(err).__name__}: {err}"
        raise SourceError(f"{origin}: malformed backlint report ({reason})") from None
    if not tickets:
        # Reports without ticket details still list the tickets their findings are about.
        tickets = [
            TicketSummary(f.ticket, "", f.url, "", "", "", None, None, (), None, None)
            for f in {f.ticket: f for f in findings}.values()
        ]
    known = {"version", "tickets", "findings", "summary", "source", "generated_at"}
    known |= {"ticket_details", "plans", "rules", "score"}
    return Report(
        source=str(data.get("source") or origin),
        generated_at=generated,
        tickets=tickets,
        findings=sorted(findings),
        rules=rules,
        plans=list(data.get("plans") or ()),
        extra={k: v for k, v in data.items() if k not in known},
    )


def _ticket_from_dict(item: Mapping[str, Any]) -> TicketSummary:
    rank = item.get("priority_rank")
    return TicketSummary(
        key=str(item["key"]),
        title=str(item.get("title") or ""),
        url=str(item.get("url") or ""),
        kind=str(item.get("kind") or ""),
        status=str(item.get("status") or ""),
        status_category=str(item.get("status_category") or ""),
        priority=item.get("priority"),
        priority_rank=int(rank) if rank is not None else None,
        labels=tuple(str(label) for label in item.get("labels") or ()),
        created=item.get("created"),
        updated=item.get("updated"),
    )


def report_to_dict(report: Report) -> dict[str, Any]:
    """The JSON-ready dict of a report: the version-1 contract the ``json`` format writes and
    the history file stores."""
    data: dict[str, Any] = {
        "version": REPORT_VERSION,
        "tickets": len(report.tickets),
        "findings": [finding.to_dict() for finding in report.findings],
        "summary": report.summary,
        "score": report.score.to_dict(),
        "source": report.source,
        "generated_at": report.generated_at.isoformat(),
        "ticket_details": [
            {
                "key": t.key,
                "title": t.title,
                "url": t.url,
                "kind": t.kind,
                "status": t.status,
                "status_category": t.status_category,
                "priority": t.priority,
                "priority_rank": t.priority_rank,
                "labels": list(t.labels),
                "created": t.created,
                "updated": t.updated,
            }
            for t in report.tickets
        ],
    }
    if report.rules:
        data["rules"] = {code: dict(meta) for code, meta in sorted(report.rules.items())}
    if report.plans:
        data["plans"] = list(report.plans)
    data.update(report.extra)
    return data
