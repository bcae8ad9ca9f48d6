"""The ``markdown`` report: GitHub-flavoured Markdown for an issue, a job summary or a wiki page.

Score and family table first, then the trend (with history), the rules that fired most, and one
collapsible ``<details>`` per ticket, worst first. The output stays under 1 MiB (GitHub's job
summary limit): tickets that do not fit are counted, not cut in half.

Tracker text (titles, labels, statuses, messages that quote tickets) is escaped for the context it
lands in: ``& < >`` always as entities (so no raw tag ever appears), other Markdown punctuation
with backslashes outside HTML, and a zero-width joiner after ``@`` and ``#`` so no one is
mentioned and no issue is cross-referenced.
"""

from __future__ import annotations

import html
import re
from typing import IO, Any
from urllib.parse import quote

from backlint.hookspecs import hookimpl
from backlint.report.digest import Digest, TicketRow, digest, plural, severity_phrase
from backlint.report.merge import sources_of
from backlint.report.report import Report

#: GitHub's job summary limit is 1 MiB per step; keep clear of it.
MAX_BYTES = 1_000_000
RULES_SHOWN = 15

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|~$])")
_HTML_PUNCTUATION = re.compile(r"([\[\]()*_~`|\\])")
#: What GitHub would turn into a notification or a cross-reference: @-mentions, issue
#: references (#12, GH-12, owner/repo#12). They are shown as code, which GitHub never links,
#: rather than broken up with invisible characters that a reader copying them would carry along.
_PING = re.compile(r"@[\w-]+(?:/[\w.-]+)?|(?:\b[\w.-]+/[\w.-]+)?#\d+|\bGH-\d+", re.IGNORECASE)


def _pieces(text: str):
    """``(is_ping, text)`` runs of ``text``."""
    last = 0
    for match in _PING.finditer(text):
        if match.start() > last:
            yield False, text[last : match.start()]
        yield True, match.group(0)
        last = match.end()
    if last < len(text):
        yield False, text[last:]


def md(text: object) -> str:
    """Tracker text as inline Markdown that renders literally (one line)."""
    out = []
    for ping, piece in _pieces(" ".join(str(text).split())):
        if ping:
            out.append(f"`{piece}`")
        else:  # & < > as entities, Markdown punctuation escaped
            out.append(_MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(piece, quote=False)))
    return "".join(out)


def inline_html(text: object) -> str:
    """Tracker text inside an HTML element: entities, Markdown punctuation included, in case a
    renderer processes Markdown there after all; mentions and references as ``<code>``."""
    out = []
    for ping, piece in _pieces(" ".join(str(text).split())):
        escaped = html.escape(piece, quote=True)
        escaped = _HTML_PUNCTUATION.sub(lambda m: f"&#{ord(m.group(1))};", escaped)
        out.append(f"<code>{escaped}</code>" if ping else escaped)
    return "".join(out)


def code(text: str) -> str:
    """A rule code as a code span when it is plain (it always is for registered rules)."""
    return f"`{text}`" if re.fullmatch(r"[A-Za-z0-9_.-]+", text) else md(text)


def safe_url(url: str) -> str | None:
    """An http(s) URL with the characters that would end a Markdown link encoded; else None."""
    if not re.match(r"https?://", url or "", re.IGNORECASE):
        return None
    return quote(url, safe=":/?#[]@!$&'*+,;=%~-._")


_LINK_TEXT_SPECIAL = re.compile(r"([\\`*_{}\[\]()!|~$])")  # as md(), less "#"
_PLAIN_KEY = re.compile(r"[\w./#: -]+")


def key_code(key: str) -> str:
    """A ticket key (``owner/repo#12``, ``PROJ-12``) as a code span: never an issue reference,
    and no invisible character that a reader copying it would carry along."""
    return f"`{key}`" if _PLAIN_KEY.fullmatch(key) else md(key)


def link(key: str, url: str) -> str:
    """``[KEY](url)``, or the key as code when the URL is not http(s).

    Link text is never turned into an issue reference, so a key stays as it is, copyable.
    """
    target = safe_url(url)
    if not target:
        return key_code(key)
    text = _LINK_TEXT_SPECIAL.sub(r"\\\1", html.escape(" ".join(key.split()), quote=False))
    return f"[{text.replace('@', '&#64;')}]({target})"


def write_markdown(report: Report, stream: IO[str], options: dict[str, Any]) -> None:
    """Write the Markdown report, capped at ``options["max_bytes"]`` (default 1,000,000)."""
    stream.write(render_markdown(report, int(options.get("max_bytes") or MAX_BYTES)))


def render_markdown(report: Report, max_bytes: int = MAX_BYTES) -> str:
    """The whole Markdown document as a string."""
    view = digest(report)
    sections = (_header, _families, _sources, _changes, _rules, _backlog)
    head = "\n".join(line for section in sections for line in section(view))
    parts = [head, "", f"### Tickets, worst first ({len(view.worst)})", ""]
    if not view.worst:
        parts.append("Every ticket passes every check. :tada:")
    used = sum(len(part.encode("utf-8")) + 1 for part in parts)
    reserve = 400  # room for the "not shown" note and the footer
    shown = 0
    for row in view.worst:
        block = _ticket_block(row)
        size = len(block.encode("utf-8")) + 1
        if used + size + reserve > max_bytes:
            break
        parts.append(block)
        used += size
        shown += 1
    if shown < len(view.worst):
        parts.append(
            f"_{plural(len(view.worst) - shown, 'more ticket')} with findings are not shown: "
            "this page is capped to fit a GitHub job summary. The JSON, CSV and HTML reports "
            "list every finding._"
        )
        parts.append("")
    parts.append(
        f"<sub>Generated by backlint on {report.generated_at.date().isoformat()}. Health score "
        "0–100: tickets free of findings, weighted by priority "
        "(see docs/reports.md).</sub>"
    )
    return "\n".join(parts) + "\n"


def _header(view: Digest) -> list[str]:
    report = view.report
    summary = report.summary
    lines = [
        f"## Backlog health: {view.score.overall}/100 ({view.band})",
        "",
        f"**{md(report.source)}** · {plural(len(report.tickets), 'ticket')} checked on "
        f"{report.generated_at.date().isoformat()} · {summary['tickets_with_findings']} with "
        f"findings · {plural(summary['findings'], 'finding')} "
        f"({severity_phrase(summary['by_severity'])})",
    ]
    trend = view.trend
    if trend:
        scores = " → ".join(str(run["score"]) for run in trend.runs[-10:])
        line = f"Score over the last {plural(len(trend.runs[-10:]), 'run')}: {scores}"
        if trend.delta is not None:
            line += f" (**{trend.delta:+d}** since the previous run)"
        lines += ["", line]
    return [*lines, ""]


def _families(view: Digest) -> list[str]:
    if not view.families:
        return []
    lines = [
        "| Family | Score | Tickets | Errors | Warnings | Info |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in view.families:
        score = "—" if row.score is None else str(row.score)
        counts = " | ".join(str(row.counts[name]) for name in ("error", "warning", "info"))
        lines.append(f"| {md(row.family)} | {score} | {row.tickets} | {counts} |")
    return [*lines, ""]


def _sources(view: Digest) -> list[str]:
    """A merged report's row per input (``backlint merge``); nothing for any other report."""
    rows = sources_of(view.report)
    if not rows:
        return []
    lines = [
        "### By source",
        "",
        "| Source | Tickets | Findings | Score |",
        "| --- | ---: | ---: | ---: |",
    ]
    for row in rows:
        replaced = f" ({row.superseded} replaced by a later report)" if row.superseded else ""
        lines.append(
            f"| {md(row.source)} | {row.tickets}{replaced} | {row.findings} | "
            f"{row.score} ({row.band}) |"
        )
    return [*lines, ""]


def _changes(view: Digest) -> list[str]:
    trend = view.trend
    if not trend:
        return []
    lines = ["### Since the previous run", ""]
    if trend.previous is None:
        return [*lines, "This is the first recorded run; the next one will show what changed.", ""]
    lines += [f"> {md(note)}" for note in trend.notes] + ([""] if trend.notes else [])
    groups = (("Newly broken", trend.new), ("Fixed", trend.fixed))
    groups += (("No longer audited", trend.left),)
    for label, items in groups:
        if not items:
            continue
        shown = ", ".join(link(item["key"], item.get("url", "")) for item in items[:50])
        more = f" and {len(items) - 50} more" if len(items) > 50 else ""
        lines.append(f"- **{label} ({len(items)}):** {shown}{more}")
    if not (trend.new or trend.fixed or trend.left):
        lines.append("No ticket changed state.")
    return [*lines, ""]


def _rules(view: Digest) -> list[str]:
    if not view.rules:
        return []
    lines = [
        "### Rules with findings",
        "",
        "| Rule | Family | Findings | Tickets |",
        "| --- | --- | ---: | ---: |",
    ]
    for row in view.rules[:RULES_SHOWN]:
        lines.append(
            f"| {code(row.code)} {md(row.name)} | {md(row.family)} | {row.findings} | "
            f"{row.tickets} |"
        )
    if len(view.rules) > RULES_SHOWN:
        lines.append(f"| … {plural(len(view.rules) - RULES_SHOWN, 'more rule')} | | | |")
    return lines


def _backlog(view: Digest) -> list[str]:
    """Findings about the backlog as a whole, once each."""
    if not view.backlog:
        return []
    lines = ["", "### The backlog as a whole", ""]
    for item in view.backlog:
        lines.append(
            f"- **{item.severity.value}** {code(item.code)} {md(item.name)}: {md(item.message)} "
            f"({plural(item.tickets, 'ticket')})"
        )
    return lines


def _ticket_block(row: TicketRow) -> str:
    ticket = row.ticket
    counts = {name: row.count(name) for name in ("error", "warning", "info")}
    tally = ", ".join(plural(n, name) for name, n in counts.items() if n and name != "info")
    if counts["info"]:
        tally = ", ".join(filter(None, [tally, f"{counts['info']} info"]))
    health = f" · health {row.percent}" if row.percent is not None else ""
    title = f" {inline_html(ticket.title)}" if ticket.title else ""
    facts = [link(f"Open {ticket.key}", ticket.url)] if safe_url(ticket.url) else []
    facts += [md(value) for value in (ticket.kind, ticket.status) if value]
    if ticket.priority:
        facts.append(f"priority {md(ticket.priority)}")
    if ticket.labels:
        facts.append("labels: " + ", ".join(md(label) for label in ticket.labels))
    lines = [
        "<details>",
        f"<summary><strong><code>{html.escape(ticket.key)}</code></strong>{title}{health} · "
        f"{tally}</summary>",
        "",
    ]
    if facts:
        lines += [" · ".join(facts), ""]
    for finding in row.findings:
        lines.append(
            f"- **{finding.severity.value}** {code(finding.rule)} {md(finding.name)}: "
            f"{md(finding.message)}"
        )
    lines += ["", "</details>", ""]
    return "\n".join(lines)


@hookimpl
def register_reporters(register):
    register("markdown", write_markdown)
