"""The ``text`` report: tickets worst first, then a table per family and the health score.

The summary comes last so that it is what a person sees when the output stops scrolling. Colour
only on a terminal (the caller passes ``options["color"]``); the same words without it in logs.
"""

from __future__ import annotations

import re
from typing import IO, TYPE_CHECKING, Any

from backlint.hookspecs import hookimpl
from backlint.report.digest import Digest, digest, plural, severity_phrase
from backlint.report.merge import sources_of
from backlint.report.report import Report

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
BAND_STYLE = {"healthy": "bold green", "fair": "bold yellow", "needs work": "bold red"}


def write_text(report: Report, stream: IO[str], options: dict[str, Any]) -> None:
    """Write the report for a person reading a terminal or a log."""
    # rich costs tens of milliseconds to import: only a run that prints a text report pays it.
    from rich.console import Console

    console = Console(
        file=stream,
        force_terminal=bool(options.get("color")),
        no_color=not options.get("color"),
        width=options.get("width") or 100,
        highlight=False,
        soft_wrap=True,
    )
    view = digest(report)
    paint = _painter(bool(options.get("color")))
    # The ticket listing can run to tens of thousands of lines: written directly, not through
    # rich, which costs about half a millisecond per printed line.
    for row in view.worst:
        line = paint(clean(row.ticket.key), "bold")
        if row.ticket.title:
            line += "  " + clean(row.ticket.title)
        if row.percent is not None:
            line += paint(f"  (health {row.percent})", "dim")
        lines = [line]
        url = row.ticket.url or (row.findings[0].url if row.findings else "")
        if url:
            lines.append(paint("  " + clean(url), "dim"))
        for finding in row.findings:
            severity = finding.severity.value
            lines.append(
                "  "
                + paint(f"{severity:<8}", SEVERITY_STYLE[severity])
                + paint(f"{finding.rule} {finding.name}", "bold")
                + "  "
                + clean(finding.message)
            )
        stream.write("\n".join(lines) + "\n\n")
    if options.get("quiet"):  # -q: the findings only
        return
    if view.backlog:
        lines = [paint("The backlog as a whole", "bold")]
        for item in view.backlog:
            severity = item.severity.value
            lines.append(
                "  "
                + paint(f"{severity:<8}", SEVERITY_STYLE[severity])
                + paint(f"{item.code} {item.name}", "bold")
                + f"  {clean(item.message)} ({plural(item.tickets, 'ticket')})"
            )
        stream.write("\n".join(lines) + "\n\n")
    if view.families:
        console.print(family_table(view))
    if sources_of(report):
        console.print(source_table(report))
    if view.trend:
        for line in trend_lines(view):
            console.print(line)
    console.print(summary_line(report))
    console.print(score_line(view))


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """Tracker text without control characters (no escape sequence reaches the terminal)."""
    return _CONTROL.sub("\ufffd", " ".join(text.split()))


_ANSI = {"bold": "1", "dim": "2", "bold red": "1;31", "yellow": "33", "cyan": "36"}


def _painter(color: bool):
    """``paint(text, style)``: ANSI-styled text with colour, the text itself without."""
    if not color:
        return lambda text, style: text
    return lambda text, style: f"\x1b[{_ANSI[style]}m{text}\x1b[0m"


def family_table(view: Digest) -> Table:
    """Score and finding counts per family."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("Family")
    table.add_column("Score", justify="right")
    table.add_column("Tickets", justify="right")
    for name in ("Errors", "Warnings", "Info"):
        table.add_column(name, justify="right")
    for row in view.families:
        table.add_row(
            row.family,
            "—" if row.score is None else str(row.score),
            str(row.tickets),
            *(
                Text(str(row.counts[name]), style=SEVERITY_STYLE[name] if row.counts[name] else "")
                for name in ("error", "warning", "info")
            ),
        )
    return table


def source_table(report: Report) -> Table:
    """A merged report's row per input (``backlint merge``): tickets, findings, own score."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("By source")
    for name in ("Tickets", "Findings", "Score"):
        table.add_column(name, justify="right")
    for row in sources_of(report):
        replaced = f" ({row.superseded} replaced)" if row.superseded else ""
        table.add_row(
            Text(clean(row.source)), f"{row.tickets}{replaced}", str(row.findings), str(row.score)
        )
    return table


def score_line(view: Digest) -> Text:
    """``Health score: 72/100 (fair)``, with the change since the previous run."""
    from rich.text import Text

    text = Text("Health score: ")
    text.append(f"{view.score.overall}/100", style=BAND_STYLE.get(view.band, "bold"))
    text.append(f" ({view.band})")
    if view.trend and view.trend.delta is not None:
        text.append(f", {view.trend.delta:+d} since the previous run")
    return text


def trend_lines(view: Digest) -> list[Text]:
    """The trend and the tickets newly broken and fixed since the previous run."""
    from rich.text import Text

    trend = view.trend
    assert trend is not None
    scores = " → ".join(str(run["score"]) for run in trend.runs[-8:])
    lines = [Text(f"Trend over {plural(len(trend.runs), 'run')}: {scores}")]
    if trend.previous is None:
        lines.append(Text("First recorded run: nothing to compare with yet."))
        return lines
    lines += [Text(note, style="yellow") for note in trend.notes]  # a change of config, not tickets
    for label, items, style in (
        ("Newly broken", trend.new, "red"),
        ("Fixed", trend.fixed, "green"),
        ("No longer audited", trend.left, "dim"),
    ):
        if items:
            keys = ", ".join(item["key"] for item in items[:20])
            more = f" and {len(items) - 20} more" if len(items) > 20 else ""
            line = Text(f"{label} ({len(items)}): ", style=style)
            line.append(keys + more)
            lines.append(line)
    if not (trend.new or trend.fixed or trend.left):
        lines.append(Text("No ticket changed state since the previous run."))
    return lines


def summary_line(report: Report) -> Text:
    """Tickets checked, tickets with findings, findings by severity and by family."""
    from rich.text import Text

    summary = report.summary
    text = Text(
        f"{plural(len(report.tickets), 'ticket')} checked, "
        f"{summary['tickets_with_findings']} with findings, "
        f"{plural(summary['findings'], 'finding')} ({severity_phrase(summary['by_severity'])})"
    )
    if summary["by_family"]:
        families = " · ".join(f"{name} {count}" for name, count in summary["by_family"].items())
        text.append("\nBy family: " + families)
    return text


@hookimpl
def register_reporters(register):
    register("text", write_text)
