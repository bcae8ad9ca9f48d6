"""The HTML report's cards and tables: the card frame every section sits in, the worst tickets
and the filterable table of every finding.

Tracker text goes through :func:`~backlint.reporters.html.charts.esc`, and links are made only
from http(s) URLs (:func:`href`), so a ticket titled ``<script>…`` shows that text and runs
nothing.
"""

from __future__ import annotations

import json
from typing import Any

from backlint.report.digest import Digest, TicketRow, plural
from backlint.report.merge import sources_of
from backlint.report.report import TicketSummary
from backlint.report.score import band_of, natural_key
from backlint.reporters.html.charts import BAND_COLOURS, esc, prose

WORST_SHOWN = 12


def href(url: str) -> str | None:
    """An http(s) URL, attribute-escaped; None for anything else (``javascript:``, empty)."""
    return esc(url) if url.lower().startswith(("https://", "http://")) else None


def ticket_link(key: str, url: str) -> str:
    """The ticket key, linked to ``url`` when that is an http(s) URL."""
    text = esc(key)
    target = href(url)
    if target is None:
        return text
    return f'<a href="{target}" target="_blank" rel="noopener noreferrer">{text}</a>'


def card(title: str, subtitle: str, content: str, extra: str = "") -> str:
    """One titled card of the page around ``content`` (already HTML)."""
    return (
        f'<section class="card {extra}"><h2>{esc(title)}</h2><p class="sub">{esc(subtitle)}</p>'
        f"{content}</section>"
    )


def _health(percent: int | None) -> str:
    if percent is None:
        return '<span class="health" style="background:#8c959f">—</span>'
    colour = BAND_COLOURS[band_of(percent)]
    return f'<span class="health" style="background:{colour}">{percent}</span>'


def worst_tickets(view: Digest) -> str:
    """The card of the least healthy tickets, ties to the more urgent."""
    if not view.worst:
        return card("Worst tickets", "", '<p class="empty">Every ticket passes every check.</p>')
    rows = "".join(_worst_row(row) for row in view.worst[:WORST_SHOWN])
    table = (
        '<table class="stack worst"><thead><tr><th>Health</th><th>Ticket</th><th>Title</th>'
        f"<th>Priority</th><th>Findings</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    shown = min(WORST_SHOWN, len(view.worst))
    subtitle = f"The {plural(shown, 'least healthy ticket')}; ties go to the more urgent."
    return f'<div class="grid">{card("Worst tickets", subtitle, table)}</div>'


def _worst_row(row: TicketRow) -> str:
    ticket = row.ticket
    pills = " ".join(
        f'<span class="pill sev-{name}">'
        f"{plural(row.count(name), name, 'info' if name == 'info' else None)}</span>"
        for name in ("error", "warning", "info")
        if row.count(name)
    )
    rules = ", ".join(dict.fromkeys(f.name for f in row.findings))
    return (
        f'<tr><td class="health-cell">{_health(row.percent)}</td>'
        f'<td class="key">{ticket_link(ticket.key, ticket.url)}</td>'
        f'<td class="title">{prose(ticket.title)}<div class="rule-name">{esc(rules)}</div></td>'
        f'<td class="prio" data-th="Priority">{esc(ticket.priority or "—")}</td>'
        f'<td class="pills">{pills}</td></tr>'
    )


def sources_card(view: Digest) -> str:
    """A row per source of a merged report (``backlint merge``) or of an audit of several
    sources; nothing for any other report."""
    rows = sources_of(view.report)
    if not rows:
        return ""
    body = "".join(
        f'<tr><td class="health-cell">{_health(row.score)}</td>'
        f'<td class="title">{esc(row.source)}</td>'
        f'<td data-th="Tickets">{row.tickets}'
        f"{f' ({row.superseded} replaced)' if row.superseded else ''}</td>"
        f'<td data-th="Findings">{row.findings}</td></tr>'
        for row in rows
    )
    table = (
        '<table class="stack"><thead><tr><th>Score</th><th>Source</th><th>Tickets</th>'
        f"<th>Findings</th></tr></thead><tbody>{body}</tbody></table>"
    )
    files = {row.file for row in rows if row.file}  # none: one audit of several sources
    what = (
        f"{plural(len(files), 'report')} merged"
        if files
        else (f"{plural(len(rows), 'source')} audited as one backlog")
    )
    subtitle = f"{what}; the score above is over all their tickets, each row's is its own."
    return f'<div class="grid">{card("By source", subtitle, table)}</div>'


def backlog_card(view: Digest) -> str:
    """Findings about the backlog as a whole (priority inflation, WIP), once each."""
    if not view.backlog:
        return ""
    items = "".join(
        f'<li><span class="pill sev-{esc(item.severity.value)}">{esc(item.severity.value)}</span> '
        f"<strong>{esc(item.code)} {esc(item.name)}</strong>: {prose(item.message)} "
        f"({item.tickets} ticket{'' if item.tickets == 1 else 's'})</li>"
        for item in view.backlog
    )
    content = card(
        "The backlog as a whole",
        "Stated once here, never on the tickets they concern.",
        f'<ul class="backlog">{items}</ul>',
    )
    return f'<div class="grid">{content}</div>'


def findings_table(view: Digest, max_rows: int) -> str:
    """The card listing every finding (up to ``max_rows``), with family/severity/label filters."""
    report = view.report
    tickets = {t.key: t for t in report.tickets}
    findings = sorted(
        report.findings, key=lambda f: (-f.severity.rank, natural_key(f.ticket), f.rule)
    )
    shown = findings[:max_rows]
    labels = sorted({label for f in shown for label in _labels(tickets, f.ticket)}, key=str.lower)
    options = "".join(f'<option value="{esc(x)}">{esc(x)}</option>' for x in labels)
    families = "".join(
        f'<option value="{esc(r.family)}">{esc(r.family)}</option>'
        for r in view.families
        if r.findings
    )
    filters = (
        '<div class="filters">'
        f'<label>Family <select id="f-family"><option value="">All</option>{families}'
        "</select></label>"
        '<label>Severity <select id="f-severity"><option value="">All</option>'
        '<option value="error">Error</option><option value="warning">Warning</option>'
        '<option value="info">Info</option></select></label>'
        f'<label>Label <select id="f-label"><option value="">All</option>{options}'
        "</select></label>"
        '<input id="f-search" type="search" placeholder="Search tickets, rules, messages"'
        ' aria-label="Search">'
        '<span class="count" id="f-count"></span></div>'
    )
    rows = "".join(_finding_row(f, tickets.get(f.ticket)) for f in shown)
    note = ""
    if len(findings) > len(shown):
        note = (
            f'<p class="empty">{len(findings) - len(shown)} more findings are not listed here; '
            "the CSV and JSON reports have all of them.</p>"
        )
    # The table grows with the page (no box scrolling inside it); its header stays in view.
    table = (
        '<table id="findings" class="stack findings"><thead><tr><th>Ticket</th><th>Title</th>'
        "<th>Severity</th><th>Rule</th><th>Family</th><th>Message</th><th>Labels</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>{note}"
    )
    subtitle = "Filter by family, severity or label, or search."
    return f'<div class="grid">{card("All findings", subtitle, filters + table)}</div>'


def _labels(tickets: dict[str, TicketSummary], key: str) -> tuple[str, ...]:
    ticket = tickets.get(key)
    return ticket.labels if ticket else ()


def _finding_row(finding: Any, ticket: TicketSummary | None) -> str:
    labels = ticket.labels if ticket else ()
    url = finding.url or (ticket.url if ticket else "")
    chips = "".join(f'<span class="label">{esc(label)}</span>' for label in labels)
    severity = finding.severity.value
    return (
        f'<tr data-family="{esc(finding.family)}" data-severity="{esc(severity)}" '
        f'data-labels="{esc(json.dumps(list(labels)))}">'
        f'<td class="key">{ticket_link(finding.ticket, url)}</td>'
        f'<td class="title">{prose(ticket.title if ticket else "")}</td>'
        f'<td class="sev"><span class="pill sev-{esc(severity)}">{esc(severity)}</span></td>'
        f'<td class="rulecell"><span class="rule">{esc(finding.rule)}</span>'
        f'<div class="rule-name">{esc(finding.name)}</div></td>'
        f'<td class="fam" data-th="Family">{esc(finding.family)}</td>'
        f'<td class="msg">{prose(finding.message)}</td><td class="labels">{chips}</td></tr>'
    )
