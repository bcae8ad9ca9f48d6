"""Inline SVG charts for the HTML report, generated here: no library, no network at view time.

Every function returns an SVG string whose text is escaped; callers pass labels straight from
the tracker. Charts scale with their container (``viewBox`` plus ``width: 100%``) and carry a
``<title>`` per mark, so hovering a bar shows its figure.
"""

from __future__ import annotations

import math
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


def nice_max(value: float) -> int:
    """A round axis maximum at or above ``value`` (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return int(step * power) if step * power >= 1 else 1
    return int(10 * power)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
    label_width: int = 190,
    width: int = 560,
    maximum: float | None = None,
    suffix: str = "",
) -> str:
    """Horizontal bars, one per row, stacked by ``series``; the total at the bar's end."""
    row_height, top = 28, 6
    height = top * 2 + row_height * max(1, len(rows))
    plot = width - label_width - 48
    biggest = maximum or nice_max(max((sum(v.values()) for _, v in rows), default=0))
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'preserveAspectRatio="xMinYMin meet">'
    ]
    for index, (label, values) in enumerate(rows):
        y = top + index * row_height
        parts.append(
            f'<text x="{label_width - 10}" y="{y + 18}" text-anchor="end" class="axis-label" '
            f"{FONT}><title>{esc(label)}</title>{esc(_shorten(label, label_width // 7))}</text>"
            f'<rect x="{label_width}" y="{y + 5}" width="{plot}" height="16" rx="3" '
            'class="track"/>'
        )
        x = float(label_width)
        total = 0.0
        for part in series:
            value = values.get(part.key, 0)
            if not value:
                continue
            bar = plot * value / biggest
            parts.append(
                f'<rect class="mark" data-series="{esc(part.key)}" x="{x:.2f}" y="{y + 5}" '
                f'width="{bar:.2f}" height="16" fill="{part.colour}">'
                f"<title>{esc(label)}: {_figure(value)}{esc(suffix)} {esc(part.label)}</title>"
                "</rect>"
            )
            x += bar
            total += value
        parts.append(
            f'<text x="{x + 6:.2f}" y="{y + 18}" class="value-label" {FONT}>'
            f"{_figure(total)}{esc(suffix)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def columns(
    cols: Sequence[tuple[str, Mapping[str, float]]],
    series: Sequence[Series],
    width: int = 560,
    height: int = 220,
) -> str:
    """Vertical columns stacked by ``series``, labels below, totals above, light gridlines."""
    left, bottom, top = 34, 40, 16
    plot_w, plot_h = width - left - 8, height - bottom - top
    biggest = nice_max(max((sum(v.values()) for _, v in cols), default=0))
    slot = plot_w / max(1, len(cols))
    bar_w = min(56.0, slot * 0.62)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img">']
    ticks = (0, biggest // 2, biggest) if biggest % 2 == 0 else (0, biggest)
    for tick in ticks:
        y = top + plot_h - plot_h * tick / biggest
        parts.append(
            f'<line x1="{left}" x2="{width - 8}" y1="{y:.2f}" y2="{y:.2f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.2f}" text-anchor="end" class="tick" {FONT}>'
            f"{_figure(tick)}</text>"
        )
    for index, (label, values) in enumerate(cols):
        x = left + slot * index + (slot - bar_w) / 2
        y = float(top + plot_h)
        total = 0.0
        for part in series:
            value = values.get(part.key, 0)
            if not value:
                continue
            bar = plot_h * value / biggest
            y -= bar
            parts.append(
                f'<rect class="mark" data-series="{esc(part.key)}" x="{x:.2f}" y="{y:.2f}" '
                f'width="{bar_w:.2f}" height="{bar:.2f}" fill="{part.colour}">'
                f"<title>{esc(label)}: {_figure(value)} {esc(part.label)}</title></rect>"
            )
            total += value
        centre = x + bar_w / 2
        if total:
            parts.append(
                f'<text x="{centre:.2f}" y="{y - 5:.2f}" text-anchor="middle" '
                f'class="value-label" {FONT}>{_figure(total)}</text>'
            )
        parts.append(
            f'<text x="{centre:.2f}" y="{top + plot_h + 18}" text-anchor="middle" '
            f'class="axis-label" {FONT}><title>{esc(label)}</title>{esc(_shorten(label, 12))}'
            "</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    points: Sequence[tuple[str, float]], width: int = 1100, height: int = 210, maximum: int = 100
) -> str:
    """Score over runs: a line with dots, y from 0 to ``maximum``, x labels thinned to fit."""
    left, right, bottom, top = 34, 36, 30, 12
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(1, len(points) - 1)
    parts = [f'<svg class="chart trend" viewBox="0 0 {width} {height}" role="img">']
    for tick in (0, 25, 50, 75, 100):
        y = top + plot_h - plot_h * tick / maximum
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.2f}" y2="{y:.2f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.2f}" text-anchor="end" class="tick" {FONT}>'
            f"{tick}</text>"
        )
    coords = [
        (left + (step * i if len(points) > 1 else plot_w / 2), top + plot_h - plot_h * v / maximum)
        for i, (_, v) in enumerate(points)
    ]
    if len(coords) > 1:
        area = " ".join(f"{x:.2f},{y:.2f}" for x, y in coords)
        base = top + plot_h
        parts.append(
            f'<polygon class="area" points="{coords[0][0]:.2f},{base} {area} '
            f'{coords[-1][0]:.2f},{base}"/>'
            f'<polyline class="line" fill="none" points="{area}"/>'
        )
    every = max(1, math.ceil(len(points) / 8))
    for index, ((label, value), (x, y)) in enumerate(zip(points, coords, strict=True)):
        parts.append(
            f'<circle class="dot" cx="{x:.2f}" cy="{y:.2f}" r="4">'
            f"<title>{esc(label)}: {_figure(value)}</title></circle>"
        )
        if index % every == 0 or index == len(points) - 1:
            anchor = "end" if index == len(points) - 1 and len(points) > 1 else "middle"
            anchor = "start" if index == 0 and len(points) > 1 else anchor
            parts.append(
                f'<text x="{x:.2f}" y="{height - 8}" text-anchor="{anchor}" class="tick" '
                f"{FONT}>{esc(label)}</text>"
            )
    parts.append("</svg>")
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
