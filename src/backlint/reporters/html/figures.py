"""The HTML report's charts, each in its card: the trend and what changed since the previous
run, findings by family and by rule, priorities on the configured scale, and ticket age.

Charts come from :mod:`backlint.reporters.html.charts`; every piece of tracker text is escaped
there or here with :func:`~backlint.reporters.html.charts.esc`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from backlint.report.digest import Digest, plural
from backlint.report.report import Report, TicketSummary
from backlint.reporters.html.charts import Series, columns, esc, hbars, legend, line_chart
from backlint.reporters.html.sections import card, ticket_link

SEVERITY_SERIES = (
    Series("error", "#cf222e", "errors"),
    Series("warning", "#d4a72c", "warnings"),
    Series("info", "#54aeff", "info"),
)
TICKET_SERIES = (
    Series("flagged", "#e16f24", "with findings"),
    Series("clean", "#8dd6a0", "clean"),
)
AGE_BUCKETS = (
    (7, "< 1 week"),
    (30, "1–4 weeks"),
    (90, "1–3 months"),
    (182, "3–6 months"),
    (365, "6–12 months"),
    (None, "> 1 year"),
)
RULES_SHOWN = 12
CHANGES_SHOWN = 8
#: The column of tickets whose priority has no rank on the scale (sorted after every rank).
OFF_SCALE = -1
P_LABEL = re.compile(r"[Pp]\d")


def trend_card(view: Digest) -> str:
    """The trend card (with history only): scores over runs, what a change of configuration
    did, and the tickets newly broken, fixed and no longer audited."""
    trend = view.trend
    if trend is None:
        return ""
    labels = [_short_date(str(run.get("generated_at", ""))) for run in trend.runs]
    if len(set(labels)) < len(labels):  # several runs a day: tell them apart by time
        labels = [_short_date(str(run.get("generated_at", "")), True) for run in trend.runs]
    points = list(zip(labels, (run["score"] for run in trend.runs), strict=True))
    chart = line_chart(points)
    if trend.previous is None:
        changes = '<p class="empty">First recorded run: the next run will show what changed.</p>'
    else:
        changes = '<div class="changes">' + "".join(
            _change_list(title, items)
            for title, items in (
                ("Newly broken", trend.new),
                ("Fixed", trend.fixed),
                ("No longer audited", trend.left),
            )
        )
        changes += "</div>"
    notes = ""
    if trend.notes:
        # Said before the lists, so nobody reads a change of configuration as tickets fixed.
        notes = '<div class="notes">' + "".join(f"<p>{esc(n)}</p>" for n in trend.notes)
        notes += "</div>"
    subtitle = f"Health score over the last {plural(len(trend.runs), 'recorded run')}."
    return f'<div class="grid">{card("Trend", subtitle, chart + notes + changes)}</div>'


def _change_list(title: str, items: Any) -> str:
    """One list of tickets; past the first few, the rest fold away (no box scrolls)."""
    entries = [
        f"<li>{ticket_link(item['key'], item.get('url', ''))} "
        f'<span class="meta">{esc(item.get("title", ""))}</span></li>'
        for item in items
    ]
    if not entries:
        body = '<p class="empty">None.</p>'
    else:
        body = f"<ul>{''.join(entries[:CHANGES_SHOWN])}</ul>"
        if len(entries) > CHANGES_SHOWN:
            body += (
                f"<details><summary>{len(entries) - CHANGES_SHOWN} more</summary>"
                f"<ul>{''.join(entries[CHANGES_SHOWN:])}</ul></details>"
            )
    return f"<div><h3>{esc(title)} ({len(items)})</h3>{body}</div>"


def family_chart(view: Digest) -> str:
    """Findings per family, stacked by severity."""
    rows = [(row.family, row.counts) for row in view.families if row.findings]
    if not rows:
        return '<p class="empty">No findings.</p>'
    return hbars(rows, SEVERITY_SERIES) + legend(SEVERITY_SERIES)


def rule_chart(view: Digest) -> str:
    """The rules with the most findings, stacked by severity."""
    rows = [(f"{row.code} {row.name}", row.counts) for row in view.rules[:RULES_SHOWN]]
    if not rows:
        return '<p class="empty">No findings.</p>'
    return hbars(rows, SEVERITY_SERIES, wide_labels=True) + legend(SEVERITY_SERIES)


def priority_chart(report: Report, scale: Sequence[str] = ()) -> str:
    """Tickets per rank of the configured priority scale, most urgent first, "none" last.

    Tickets carry the rank their priority has on the configured scale, so a ``P1`` label and a
    ``High`` field land in the same column. The column is named after the scale (``scale``,
    when the caller knows it) or else after the most common name at that rank that is not a
    ``P0``-style label; the other names counted in it are noted under the label.
    """
    flagged = {f.ticket for f in report.findings}
    names: dict[int | None, Counter[str]] = {}
    counts: dict[int | None, Counter[str]] = {}
    for ticket in report.tickets:
        rank = ticket.priority_rank
        if rank is None and ticket.priority:
            rank = OFF_SCALE
        names.setdefault(rank, Counter())[ticket.priority or ""] += 1
        counts.setdefault(rank, Counter())["flagged" if ticket.key in flagged else "clean"] += 1
    if not counts:
        return '<p class="empty">No tickets.</p>'
    cols: list[tuple[str, Any]] = []
    notes: dict[str, str] = {}
    for rank in sorted(counts, key=lambda r: (r is None, r == OFF_SCALE, r or 0)):
        seen = names[rank]
        if rank is None:
            label = "none"
        elif rank == OFF_SCALE:
            label = "not on the scale"
        elif rank < len(scale):
            label = scale[rank]
        else:
            label = min(seen, key=lambda n: (bool(P_LABEL.fullmatch(n)), -seen[n], n.lower()))
        others = sorted((n for n in seen if n and n != label), key=lambda n: (-seen[n], n))
        if others:
            notes[label] = ", ".join(others)
        cols.append((label, counts[rank]))
    return columns(cols, TICKET_SERIES, notes) + legend(TICKET_SERIES)


def age_chart(report: Report) -> str:
    """Tickets per age bucket (time since created), with findings or clean."""
    flagged = {f.ticket for f in report.findings}
    counts = {label: Counter() for _, label in AGE_BUCKETS}
    unknown: Counter[str] = Counter()
    for ticket in report.tickets:
        state = "flagged" if ticket.key in flagged else "clean"
        days = _age_days(ticket, report.generated_at)
        if days is None:
            unknown[state] += 1
            continue
        label = next(lab for limit, lab in AGE_BUCKETS if limit is None or days < limit)
        counts[label][state] += 1
    cols: list[tuple[str, Any]] = list(counts.items())
    if unknown:
        cols.append(("unknown", unknown))
    return columns(cols, TICKET_SERIES) + legend(TICKET_SERIES)


def _age_days(ticket: TicketSummary, now: datetime) -> float | None:
    if not ticket.created:
        return None
    try:
        created = datetime.fromisoformat(ticket.created)
    except ValueError:
        return None
    if created.tzinfo is None and now.tzinfo is not None:
        created = created.replace(tzinfo=now.tzinfo)
    elif created.tzinfo is not None and now.tzinfo is None:
        now = now.replace(tzinfo=created.tzinfo)
    return max(0.0, (now - created).total_seconds() / 86400)


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC (a time without a zone is taken as UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _short_date(value: str, with_time: bool = False) -> str:
    """``30 Nov`` (or ``30 Nov 07:12``) from an ISO time; the text itself if it is not one."""
    try:
        moment = utc(datetime.fromisoformat(value))
    except ValueError:
        return value[:16]
    return f"{moment.day} {moment:%b %H:%M}" if with_time else f"{moment.day} {moment:%b}"
