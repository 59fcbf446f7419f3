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

WIDTH = 320  # about the width of a 360 px phone's column: one user unit is about one pixel
FONT_PX = 14  # site.css draws chart text at this size (never below 12 px on a phone)
LINE_HEIGHT = 18
BAR_HEIGHT = 16
ROW_GAP = 10
LABEL_CHARS = 38  # characters per label line before it wraps (full labels, never cut)
VALUE_ROOM = 64  # space right of the longest bar for its figure


def wrap_label(text: str, limit: int = LABEL_CHARS) -> list[str]:
    """Split a label into lines of at most `limit` characters, at spaces where it can;
    a single word longer than a line is split (rare: place names are short words)."""
    lines: list[str] = []
    current = ""
    for word in str(text).split():
        while len(word) > limit:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:limit])
            word = word[limit:]
        candidate = f"{current} {word}".strip()
        if len(candidate) <= limit:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    return lines


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bar_chart(chart_id: str, title: str, bars: Sequence[tuple[str, float | None]], *,
              maximum: float = 100.0, suffix: str = "%",
              formatted: Callable[[float], str] = _number, description: str = "") -> Markup:
    """Horizontal bars, one per (label, value), each under its full label (wrapped, not cut);
    a value of None draws no bar and a dash. Sized to be read on a 360 px phone."""
    plot = WIDTH - VALUE_ROOM
    rows: list[str] = []
    y = 4
    for label, value in bars:
        for line in wrap_label(label):
            y += LINE_HEIGHT
            rows.append(f'<text class="chart-label" x="0" y="{y - 4}">{escape(line)}</text>')
        if value is None:
            rows.append(f'<text class="chart-value" x="0" y="{y + BAR_HEIGHT - 2}">—</text>')
        else:
            length = 0 if not maximum else max(0.0, min(1.0, value / maximum)) * plot
            rows.append(f'<rect class="chart-bar" x="0" y="{y}" width="{length:.1f}" '
                        f'height="{BAR_HEIGHT}"/>')
            rows.append(f'<text class="chart-value" x="{length + 6:.1f}" y="{y + BAR_HEIGHT - 3}">'
                        f'{escape(formatted(value))}{escape(suffix)}</text>')
        y += BAR_HEIGHT + ROW_GAP
    height = max(y, 30)
    parts = [f'<svg class="chart chart-bars" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {height}" '
             f'role="img" aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d" '
             f'xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{escape(chart_id)}-t">{escape(title)}</title>',
             f'<desc id="{escape(chart_id)}-d">{escape(description)}</desc>',
             *rows, "</svg>"]
    return Markup("".join(parts))


def column_chart(chart_id: str, title: str, columns: Sequence[tuple[date, int]], *,
                 day_label: Callable[[date], str] = lambda d: d.strftime("%d/%m"),
                 description: str = "") -> Markup:
    """Vertical columns, one per (week start, count), with the count above each column."""
    height, top, bottom, left = 200, 20, 28, 8
    plot_height = height - top - bottom
    count = max(1, len(columns))
    step = (WIDTH - 2 * left) / count
    biggest = max([value for _, value in columns] + [1])
    every = max(1, math.ceil(count / 4))  # at most 4 date labels: they stay legible
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
        if value and step >= 24:  # a count fits above its column
            parts.append(f'<text class="chart-value" x="{x + step / 2:.1f}" y="{y - 4:.1f}" '
                         f'text-anchor="middle">{value}</text>')
        if index % every == 0:
            parts.append(f'<text class="chart-label" x="{x + step / 2:.1f}" y="{height - 10}" '
                         f'text-anchor="middle">{escape(day_label(day))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
