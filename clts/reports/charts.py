"""Charts drawn on the server as plain SVG: the same markup in the browser and in WeasyPrint's PDFs.

Only elements and attributes both render alike (rect, line, polyline, path, text; colours as attributes, no CSS,
no script, no web font), a viewBox so a chart shrinks to a 360 px screen, and a <title> for screen readers. Every
chart on a page has its data table beside it; a hidden figure (None) is drawn as a gap with its mark, never as a
bar whose length would give the count away.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = 'font-family="Noto Sans, Noto Sans Devanagari, sans-serif"'
COLOURS = ["#1f5f99", "#d9822b", "#3c8d40", "#8e44ad", "#c0392b", "#16a085"]
GRID = "#d0d7de"
MUTED = "#6c757d"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float | None  # None: hidden
    mark: str = ""  # what is shown instead of a hidden value ("<5", "*")


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 (every text inside is escaped below)
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" role="img" class="chart" {FONT} font-size="12">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _number(value) -> str:
    return f"{value:,.0f}" if isinstance(value, (int, float)) or hasattr(value, "quantize") else str(value)


def bars(rows: Sequence[Bar], *, title: str, width: int = 640, label_width: int = 190) -> SafeString:
    """Horizontal bars, one per row, longest first as given."""
    row_height = 22
    height = row_height * max(len(rows), 1) + 10
    top = max([r.value for r in rows if r.value is not None] or [1]) or 1
    plot = width - label_width - 60
    body = []
    for i, row in enumerate(rows):
        y = 5 + i * row_height
        body.append(
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" fill="#212529">{escape(row.label[:34])}</text>'
        )
        if row.value is None:
            body.append(
                f'<rect x="{label_width}" y="{y + 4}" width="14" height="14" fill="none" stroke="{MUTED}" '
                f'stroke-dasharray="2,2"/><text x="{label_width + 20}" y="{y + 15}" fill="{MUTED}">'
                f"{escape(row.mark)}</text>"
            )
            continue
        length = plot * float(row.value) / float(top)
        body.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="16" fill="{COLOURS[0]}"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + 15}" fill="#212529">{_number(row.value)}</text>'
        )
    return _svg(width, height, title, body)


def paired_bars(
    rows: Sequence[tuple[str, float | None, float | None]],
    *,
    names: tuple[str, str],
    title: str,
    width: int = 640,
    label_width: int = 150,
) -> SafeString:
    """Two bars per row (sanctioned against disbursed), with a legend."""
    row_height = 30
    height = row_height * max(len(rows), 1) + 34
    top = max([float(v) for _l, a, b in rows for v in (a, b) if v is not None] or [1]) or 1
    plot = width - label_width - 90
    body = []
    for j, name in enumerate(names):
        body.append(
            f'<rect x="{label_width + j * 160}" y="4" width="12" height="12" fill="{COLOURS[j]}"/>'
            f'<text x="{label_width + j * 160 + 16}" y="14">{escape(name)}</text>'
        )
    for i, (text, *pair) in enumerate(rows):
        y = 26 + i * row_height
        body.append(f'<text x="{label_width - 6}" y="{y + 16}" text-anchor="end">{escape(text[:28])}</text>')
        for j, value in enumerate(pair):
            if value is None:
                continue
            length = plot * float(value) / top
            body.append(
                f'<rect x="{label_width}" y="{y + j * 12}" width="{length:.1f}" height="11" fill="{COLOURS[j]}"/>'
                f'<text x="{label_width + length + 4:.1f}" y="{y + j * 12 + 10}" font-size="10">'
                f"{_number(value)}</text>"
            )
    return _svg(width, height, title, body)


def lines(
    labels: Sequence[str], series: Sequence[tuple[str, Sequence[int | None]]], *, title: str, width: int = 640
) -> SafeString:
    """A line per series over the months; a hidden month breaks the line (no point is drawn for it)."""
    height, left, right, top_pad, bottom = 240, 44, 12, 30, 40
    values = [v for _name, vs in series for v in vs if v is not None]
    top = max(values or [1]) or 1
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    step = plot_w / max(len(labels) - 1, 1)
    body = []
    for fraction in (0, 0.5, 1):
        y = top_pad + plot_h * (1 - fraction)
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10">{_number(top * fraction)}</text>'
        )
    every = max(1, len(labels) // 6)
    for i, text in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            body.append(
                f'<text x="{left + i * step:.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="10">'
                f"{escape(text)}</text>"
            )
    for j, (name, vs) in enumerate(series):
        colour = COLOURS[j % len(COLOURS)]
        body.append(
            f'<rect x="{left + j * 170}" y="6" width="12" height="12" fill="{colour}"/>'
            f'<text x="{left + j * 170 + 16}" y="16">{escape(name)}</text>'
        )
        segment: list[str] = []
        for i, v in enumerate([*vs, None]):
            if v is not None:
                x, y = left + i * step, top_pad + plot_h * (1 - float(v) / top)
                segment.append(f"{x:.1f},{y:.1f}")
                body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>')
            elif segment:
                if len(segment) > 1:
                    body.append(
                        f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" stroke-width="2"/>'
                    )
                segment = []
    return _svg(width, height, title, body)


def flows(rows: Sequence[tuple[str, str, int | None]], *, title: str, width: int = 640) -> SafeString:
    """Origin on the left, destination on the right, a band between them as wide as the count (hidden counts:
    a thin dashed line, whatever their size)."""
    origins = list(dict.fromkeys(o for o, _d, _v in rows))
    destinations = list(dict.fromkeys(d for _o, d, _v in rows))
    slot = 24
    height = slot * max(len(origins), len(destinations), 1) + 10
    top = max([v for _o, _d, v in rows if v is not None] or [1]) or 1
    left_x, right_x = 170, width - 170
    body = []
    for i, name in enumerate(origins):
        body.append(f'<text x="{left_x - 6}" y="{10 + i * slot + 12}" text-anchor="end">{escape(name[:26])}</text>')
    for i, name in enumerate(destinations):
        body.append(f'<text x="{right_x + 6}" y="{10 + i * slot + 12}">{escape(name[:26])}</text>')
    for origin, destination, value in rows:
        y1 = 10 + origins.index(origin) * slot + 8
        y2 = 10 + destinations.index(destination) * slot + 8
        mid = (left_x + right_x) / 2
        d = f"M{left_x},{y1} C{mid},{y1} {mid},{y2} {right_x},{y2}"
        if value is None:
            body.append(f'<path d="{d}" fill="none" stroke="{MUTED}" stroke-width="1" stroke-dasharray="3,3"/>')
        else:
            stroke = max(1.5, 14 * float(value) / top)
            body.append(
                f'<path d="{d}" fill="none" stroke="{COLOURS[0]}" stroke-opacity="0.45" stroke-width="{stroke:.1f}"/>'
            )
    return _svg(width, height, title, body)
