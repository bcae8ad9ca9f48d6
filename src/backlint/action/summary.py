"""Markdown for the job summary (``GITHUB_STEP_SUMMARY``) of ``backlint action``.

Event mode shows the one issue's findings and what was written; audit mode shows an overview of
the backlog (counts by severity, family and rule, the tickets with the most findings). Ticket
text (titles, rule messages that quote a ticket) is neutralised: no mentions, no issue links, no
Markdown or HTML of the ticket's own. :class:`~backlint.action.runner.Runner` caps the size.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from backlint.audit import Audit
from backlint.report.digest import backlog_rows, plural
from backlint.writeback.contract import Plan, WriteResult
from backlint.writeback.planner import RULE_DOCS_URL, neutralise

#: Rows in the audit overview's ticket table; the summary is a digest, the report is elsewhere.
TOP_TICKETS = 50


def _link(key: str, url: str) -> str:
    # Keys are ``owner/repo#12``, made by GitHub, not by the ticket's author.
    return f"[{key}]({url})" if url.startswith("https://") else key


def _rule_link(code: str, name: str) -> str:
    return f"[{code} {name}]({RULE_DOCS_URL}#{code.lower()})"


def check_summary(result: Audit, writing: bool, dry_run: bool = False) -> str:
    """The summary for one checked issue."""
    ticket = result.tickets[0]
    findings = sorted(result.findings, key=lambda f: (-f.severity.rank, f.rule))
    noun = "finding" if len(findings) == 1 else "findings"
    lines = [
        f"## backlint: {_link(ticket.key, ticket.url)}, {len(findings)} {noun}",
        "",
        f"> {neutralise(ticket.title) or '(no title)'}",
        "",
    ]
    if findings:
        lines += ["| Severity | Rule | Finding |", "| --- | --- | --- |"]
        lines += [
            f"| {f.severity.value} | {_rule_link(f.rule, f.name)} | {neutralise(f.message)} |"
            for f in findings
        ]
    else:
        lines.append("Every check passes.")
    lines += ["", _writeback_lines(result.plans, result.results, writing, dry_run), ""]
    return "\n".join(lines)


def _writeback_lines(
    plans: Iterable[Plan], results: Iterable[WriteResult], writing: bool, dry_run: bool = False
) -> str:
    if not writing:
        return "**Write-back:** off (no comment or labels requested, or no token)."
    plans = list(plans)
    if not plans:
        return "**Write-back:** nothing to change."
    outcome = {r.ticket: r for r in results}
    title = "**Write-back (dry run: nothing was written):**" if dry_run else "**Write-back:**"
    lines = [title, ""]
    for plan in plans:
        done = outcome.get(plan.ticket)
        status = f" (failed: {neutralise(done.error)})" if done and done.error else ""
        lines.append(f"- {plan.ticket}: {'; '.join(plan.describe())}{status}")
        if dry_run:
            lines += _comment_preview(plan)
    return "\n".join(lines)


def _comment_preview(plan: Plan) -> list[str]:
    """The comment a dry run would write, as it would read, folded under the plan line."""
    if not plan.comment_body:
        return []
    body = plan.comment_body.split("\n", 2)[-1]  # the text after the two marker lines
    quoted = "\n".join(f"  > {line}" if line else "  >" for line in body.splitlines())
    return ["", "  <details><summary>The comment</summary>", "", quoted, "", "  </details>", ""]


def audit_summary(result: Audit, writing: bool, limit: int | None, dry_run: bool = False) -> str:
    """The backlog overview of a scheduled audit."""
    summary = result.report.summary
    severity = summary["by_severity"]
    lines = [
        f"## backlint audit: {neutralise(result.source.removeprefix('github:'))}",
        "",
        f"**{len(result.tickets)}** tickets checked, **{summary['tickets_with_findings']}** with "
        f"findings, **{summary['clean_tickets']}** clean; **{summary['findings']}** findings "
        f"({severity.get('error', 0)} error, {severity.get('warning', 0)} warning, "
        f"{severity.get('info', 0)} info).",
        "",
    ]
    if summary["by_family"]:
        lines += ["| Family | Findings |", "| --- | ---: |"]
        lines += [f"| {name} | {count} |" for name, count in summary["by_family"].items()]
        lines.append("")
    if summary["by_rule"]:
        names = {f.rule: f.name for f in result.findings}
        lines += ["| Rule | Findings |", "| --- | ---: |"]
        lines += [
            f"| {_rule_link(code, names.get(code, ''))} | {count} |"
            for code, count in sorted(summary["by_rule"].items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        lines.append("")
    lines += _backlog(result)
    lines += _top_tickets(result)
    if writing and dry_run:
        lines.append(_writeback_lines(result.plans, (), True, dry_run=True))
        if result.held_back:
            lines.append(f"\n{result.held_back} more tickets held back by the limit of {limit}.")
    elif writing:
        writes = sum(r.writes for r in result.results)
        failed = sum(1 for r in result.results if r.error)
        line = f"**Write-back:** {plural(writes, 'write')} on {plural(len(result.plans), 'ticket')}"
        if failed:
            line += f", {failed} failed"
        if result.held_back:
            line += f"; {result.held_back} more held back by the limit of {limit}"
        lines.append(line + ".")
    else:
        lines.append("**Write-back:** off.")
    lines.append("")
    return "\n".join(lines)


def _backlog(result: Audit) -> list[str]:
    """Findings about the backlog as a whole, stated once (they never reach a ticket)."""
    rows = backlog_rows(result.findings)
    if not rows:
        return []
    lines = ["### The backlog as a whole", ""]
    lines += [
        f"- **{row.severity.value}** {_rule_link(row.code, row.name)}: "
        f"{neutralise(row.message)} ({plural(row.tickets, 'ticket')})"
        for row in rows
    ]
    return [*lines, ""]


def _top_tickets(result: Audit) -> list[str]:
    own = [f for f in result.findings if f.audience != "backlog"]
    per_ticket = Counter(f.ticket for f in own)
    if not per_ticket:
        return []
    by_key = {t.key: t for t in result.tickets}
    worst: dict[str, Counter[str]] = {}
    for finding in own:
        worst.setdefault(finding.ticket, Counter())[finding.severity.value] += 1
    ranked = sorted(
        per_ticket,
        key=lambda key: (-worst[key]["error"], -worst[key]["warning"], -per_ticket[key], key),
    )
    title = f"Tickets with the most findings (top {min(TOP_TICKETS, len(ranked))})"
    lines = [f"### {title}", "", "| Ticket | Title | Error | Warning | Info |"]
    lines.append("| --- | --- | ---: | ---: | ---: |")
    for key in ranked[:TOP_TICKETS]:
        ticket = by_key.get(key)
        url = ticket.url if ticket else ""
        name = neutralise(ticket.title) if ticket else ""
        counts = worst[key]
        lines.append(
            f"| {_link(key, url)} | {name} | {counts['error']} | {counts['warning']} | "
            f"{counts['info']} |"
        )
    return [*lines, ""]


def skip_summary(reason: str) -> str:
    """One line saying why this event was skipped."""
    return f"backlint skipped this event: {neutralise(reason)}\n"
