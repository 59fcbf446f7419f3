"""Charts drawn on the server as SVG: no JavaScript, a few hundred bytes, printable.

Each chart is an image with a title and a description for screen readers; the page shows the same
numbers in a table beside it, which is the accessible version. Colours come from CSS classes
(static/css/site.css, "reports" block), never from style attributes (the CSP forbids those).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date

from markupsafe import Markup, escape

WIDTH = 480
LABEL_WIDTH = 170
ROW_HEIGHT = 26
LABEL_CHARS = 20


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bar_chart(chart_id: str, title: str, bars: Sequence[tuple[str, float | None]], *,
              maximum: float = 100.0, suffix: str = "%",
              formatted: Callable[[float], str] = _number, description: str = "") -> Markup:
    """Horizontal bars, one per (label, value); a value of None draws no bar and a dash."""
    height = ROW_HEIGHT * max(1, len(bars)) + 8
    plot = WIDTH - LABEL_WIDTH - 70
    parts = [f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {height}" '
             f'role="img" aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d" '
             f'xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{escape(chart_id)}-t">{escape(title)}</title>',
             f'<desc id="{escape(chart_id)}-d">{escape(description)}</desc>',
             f'<line class="chart-axis" x1="{LABEL_WIDTH}" y1="0" x2="{LABEL_WIDTH}" '
             f'y2="{height - 4}"/>']
    for index, (label, value) in enumerate(bars):
        y = 4 + index * ROW_HEIGHT
        parts.append(f'<text class="chart-label" x="{LABEL_WIDTH - 6}" y="{y + 17}" '
                     f'text-anchor="end">{escape(_short(label))}</text>')
        if value is None:
            parts.append(f'<text class="chart-value" x="{LABEL_WIDTH + 6}" y="{y + 17}">—</text>')
            continue
        length = 0 if not maximum else max(0.0, min(1.0, value / maximum)) * plot
        parts.append(f'<rect class="chart-bar" x="{LABEL_WIDTH}" y="{y + 4}" '
                     f'width="{length:.1f}" height="{ROW_HEIGHT - 8}"/>')
        parts.append(f'<text class="chart-value" x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 17}">'
                     f'{escape(formatted(value))}{escape(suffix)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(chart_id: str, title: str, columns: Sequence[tuple[date, int]], *,
                 day_label: Callable[[date], str] = lambda d: d.strftime("%d/%m"),
                 description: str = "") -> Markup:
    """Vertical columns, one per (week start, count), with the count above each column."""
    height, top, bottom, left = 220, 18, 28, 8
    plot_height = height - top - bottom
    count = max(1, len(columns))
    step = (WIDTH - 2 * left) / count
    biggest = max([value for _, value in columns] + [1])
    every = max(1, math.ceil(count / 8))  # at most 8 date labels
    parts = [f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {height}" '
             f'role="img" aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d" '
             f'xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{escape(chart_id)}-t">{escape(title)}</title>',
             f'<desc id="{escape(chart_id)}-d">{escape(description)}</desc>',
             f'<line class="chart-axis" x1="{left}" y1="{height - bottom}" '
             f'x2="{WIDTH - left}" y2="{height - bottom}"/>']
    for index, (day, value) in enumerate(columns):
        x = left + index * step
        bar = plot_height * value / biggest
        y = height - bottom - bar
        parts.append(f'<rect class="chart-bar" x="{x + step * 0.15:.1f}" y="{y:.1f}" '
                     f'width="{step * 0.7:.1f}" height="{bar:.1f}"/>')
        if value and count <= 30:
            parts.append(f'<text class="chart-value" x="{x + step / 2:.1f}" y="{y - 4:.1f}" '
                         f'text-anchor="middle">{value}</text>')
        if index % every == 0:
            parts.append(f'<text class="chart-label" x="{x + step / 2:.1f}" y="{height - 10}" '
                         f'text-anchor="middle">{escape(day_label(day))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
