"""Inline SVG charts for the HTML report, generated here: no library, no network at view time.

Every function returns HTML whose text is escaped; callers pass labels straight from the
tracker. Bars and columns are HTML boxes sized in percent, so their text keeps its size at any
width (an SVG scaled down to a phone shrinks its text with it); only the gauge and the trend
line are SVG. Every mark carries a ``title``, so hovering it shows its figure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

BAND_COLOURS = {
    "healthy": "#1a7f37",
    "fair": "#9a6700",
    "needs work": "#bc4c00",
    "poor": "#cf222e",
}
FONT = 'font-family="inherit"'


@dataclass(frozen=True, slots=True)
class Series:
    """One stacked part of a bar: key into the values, colour, legend label."""

    key: str
    colour: str
    label: str


def esc(value: object) -> str:
    """Text or attribute value, escaped for HTML and SVG."""
    return escape(str(value), quote=True)


def prose(value: object) -> str:
    """Tracker text, escaped, that never widens its box: ordinary words never break, and a run
    of more than 30 characters without a space (a URL, a path) may wrap after its slashes and
    dots, or anywhere if even its pieces are that long."""
    return "".join(_run(part) for part in _SPACES.split(str(value)))


def _run(text: str) -> str:
    if len(text) <= LONG_RUN:
        return esc(text)
    pieces = _URL_BREAKS.split(text)
    if max(len(piece) for piece in pieces) <= LONG_RUN:
        return "<wbr>".join(esc(piece) for piece in pieces)
    return f'<span class="long">{esc(text)}</span>'


LONG_RUN = 30
_SPACES = re.compile(r"(\s+)")
_URL_BREAKS = re.compile(r"(?<=[/.?&=_#:])")


def gauge(score: int, band: str, size: int = 168) -> str:
    """A ring filled to ``score`` percent, the score in the middle."""
    radius, stroke = 64, 14
    circumference = 2 * math.pi * radius
    filled = circumference * max(0, min(100, score)) / 100
    colour = BAND_COLOURS.get(band, "#57606a")
    return (
        f'<svg class="gauge" viewBox="0 0 168 168" width="{size}" height="{size}" role="img" '
        f'aria-label="Health score {score} out of 100">'
        f'<circle cx="84" cy="84" r="{radius}" fill="none" stroke="#eaeef2" '
        f'stroke-width="{stroke}"/>'
        f'<circle cx="84" cy="84" r="{radius}" fill="none" stroke="{colour}" '
        f'stroke-width="{stroke}" stroke-linecap="round" '
        f'stroke-dasharray="{filled:.2f} {circumference:.2f}" transform="rotate(-90 84 84)"/>'
        f'<text x="84" y="92" text-anchor="middle" class="gauge-score" {FONT}>{score}</text>'
        f'<text x="84" y="116" text-anchor="middle" class="gauge-of" {FONT}>of 100</text>'
        "</svg>"
    )


def hbars(
    rows: Sequence[tuple[str, Mapping[str, float]]],
    series: Sequence[Series],
    maximum: float | None = None,
    suffix: str = "",
    wide_labels: bool = False,
) -> str:
    """Horizontal bars, one per row, stacked by ``series``; the total at the bar's end.

    HTML rather than SVG, so the labels keep their size on a phone, where each label moves
    above its bar (see the stylesheet).
    """
    biggest = maximum or max((sum(v.values()) for _, v in rows), default=0) or 1
    parts = [f'<div class="chart bars{" wide" if wide_labels else ""}">']
    for label, values in rows:
        marks = "".join(
            f'<i class="mark" data-series="{esc(part.key)}" '
            f'style="width:{100 * values[part.key] / biggest:.2f}%;background:{part.colour}" '
            f'title="{esc(label)}: {_figure(values[part.key])}{esc(suffix)} {esc(part.label)}">'
            "</i>"
            for part in series
            if values.get(part.key)
        )
        total = sum(values.get(part.key, 0) for part in series)
        parts.append(
            f'<div class="brow"><span class="blabel" title="{esc(label)}">{esc(label)}</span>'
            f'<span class="btrack">{marks}<b>{_figure(total)}{esc(suffix)}</b></span></div>'
        )
    parts.append("</div>")
    return "".join(parts)


def columns(
    cols: Sequence[tuple[str, Mapping[str, float]]],
    series: Sequence[Series],
    notes: Mapping[str, str] | None = None,
) -> str:
    """Columns stacked by ``series``, labels below, totals above; on a phone, horizontal bars.

    ``notes`` adds a second, smaller line under a column's label (other names counted in it).
    """
    notes = notes or {}
    biggest = max((sum(v.values()) for _, v in cols), default=0) or 1
    parts = ['<div class="chart cols">']
    for label, values in cols:
        marks = "".join(
            f'<i class="mark" data-series="{esc(part.key)}" '
            f'style="--v:{100 * values[part.key] / biggest:.2f}%;background:{part.colour}" '
            f'title="{esc(label)}: {_figure(values[part.key])} {esc(part.label)}"></i>'
            for part in series
            if values.get(part.key)
        )
        total = sum(values.get(part.key, 0) for part in series)
        note = f"<small>{esc(notes[label])}</small>" if notes.get(label) else ""
        title = f"{label} ({notes[label]})" if notes.get(label) else label
        parts.append(
            f'<div class="col"><span class="clabel" title="{esc(title)}">{esc(label)}{note}</span>'
            f'<span class="ctrack">{marks}<b>{_figure(total) if total else ""}</b></span></div>'
        )
    parts.append("</div>")
    return "".join(parts)


def line_chart(points: Sequence[tuple[str, float]], maximum: int = 100) -> str:
    """Score over runs: a line with dots, y from 0 to ``maximum``, x labels thinned to fit.

    The line is an SVG stretched to the box (its strokes keep their width); dots and labels
    are HTML placed in percent, so they stay round and legible at any width. Labels marked
    ``minor`` are hidden on a phone.
    """
    count = len(points)
    coords = [
        (100 * i / (count - 1) if count > 1 else 50.0, 100 - 100 * v / maximum)
        for i, (_, v) in enumerate(points)
    ]
    parts = ['<div class="chart trend"><div class="plot">']
    for tick in (0, 25, 50, 75, 100):
        parts.append(f'<span class="ytick" style="top:{100 - tick}%">{tick}</span>')
    lines = "".join(
        f'<line x1="0" x2="1000" y1="{10 * (100 - t)}" y2="{10 * (100 - t)}" class="grid"/>'
        for t in (0, 25, 50, 75, 100)
    )
    if count > 1:
        area = " ".join(f"{10 * x:.1f},{10 * y:.1f}" for x, y in coords)
        lines += (
            f'<polygon class="area" points="{10 * coords[0][0]:.1f},1000 {area} '
            f'{10 * coords[-1][0]:.1f},1000"/><polyline class="line" points="{area}"/>'
        )
    parts.append(
        f'<svg viewBox="0 0 1000 1000" preserveAspectRatio="none" aria-hidden="true">{lines}</svg>'
    )
    for (label, value), (x, y) in zip(points, coords, strict=True):
        parts.append(
            f'<i class="dot" style="left:{x:.2f}%;top:{y:.2f}%" '
            f'title="{esc(label)}: {_figure(value)}"></i>'
        )
    parts.append('</div><div class="xaxis">')
    every, every_phone = max(1, math.ceil(count / 8)), max(1, math.ceil(count / 3))
    for index, ((label, _), (x, _)) in enumerate(zip(points, coords, strict=True)):
        last = index == count - 1
        if index % every and not last:
            continue
        place = "first" if index == 0 and count > 1 else "last" if last and count > 1 else ""
        minor = "" if last or index % every_phone == 0 else " minor"
        parts.append(
            f'<span class="xtick {place}{minor}" style="left:{x:.2f}%">{esc(label)}</span>'
        )
    parts.append("</div></div>")
    return "".join(parts)


def legend(series: Sequence[Series]) -> str:
    """An HTML legend for the series of a chart."""
    items = "".join(
        f'<span class="key"><i style="background:{s.colour}"></i>{esc(s.label)}</span>'
        for s in series
    )
    return f'<div class="legend">{items}</div>'


def _figure(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
