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


def _wrap(title: str, body: str) -> SafeString:
    return mark_safe(  # noqa: S308 (every text inside is escaped below)
        f'<div class="chart" role="img" aria-label="{escape(title)}">{body}</div>'
    )


def _swatch(colour: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10">'
        f'<rect width="10" height="10" fill="{colour}"/></svg>'
    )


_TABLE = 'style="width:100%;border-collapse:collapse;font-size:11px"'


def _column(items: list[str], *, slot: int, align: str) -> str:
    """Names or values in rows of a fixed height, level with the SVG's bars beside them."""
    return "".join(
        f'<div style="height:{slot}px;line-height:{slot}px;white-space:nowrap;overflow:hidden;'
        f'text-align:{align}">{item}</div>'
        for item in items
    )


def _three_columns(left: str, svg: str, right: str, *, height: int) -> str:
    """A fixed height (the SVG's): WeasyPrint then keeps the block whole and lays out what follows below it."""
    return (
        f'<div style="height:{height}px"><table {_TABLE}><tr>'
        f'<td style="width:32%;border:0;padding:0 6px 0 0;vertical-align:top">{left}</td>'
        f'<td style="border:0;padding:0;vertical-align:top">{svg}</td>'
        f'<td style="width:16%;border:0;padding:0 0 0 4px;vertical-align:top">{right}</td></tr></table></div>'
    )


def _rects_svg(rects: list[str], height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 {height}" preserveAspectRatio="none" '
        f'width="100%" height="{height}" style="display:block;width:100%;height:{height}px">{"".join(rects)}</svg>'
    )


def bars(rows: Sequence[Bar], *, title: str) -> SafeString:
    """Horizontal bars, one per row. The bars are one SVG; the names and values are HTML in rows of the same
    height beside it (WeasyPrint does not shape Devanagari inside SVG text; HTML reads the same everywhere)."""
    slot = 18
    top = max([float(r.value) for r in rows if r.value is not None] or [1]) or 1
    rects, values = [], []
    for i, row in enumerate(rows):
        if row.value is None:
            values.append(f'<span style="color:{MUTED}">{escape(row.mark)}</span>')
            continue
        width = 100 * float(row.value) / top
        rects.append(f'<rect x="0" y="{i * slot + 3}" width="{width:.2f}" height="{slot - 6}" fill="{COLOURS[0]}"/>')
        values.append(_number(row.value))
    height = slot * max(len(rows), 1)
    labels = [escape(row.label[:40]) for row in rows]
    return _wrap(
        title,
        _three_columns(
            _column(labels, slot=slot, align="right"),
            _rects_svg(rects, height),
            _column(values, slot=slot, align="left"),
            height=height,
        ),
    )


def paired_bars(
    rows: Sequence[tuple[str, float | None, float | None]], *, names: tuple[str, str], title: str
) -> SafeString:
    """Two bars per row (sanctioned against disbursed), with a legend."""
    slot = 26
    top = max([float(v) for _l, a, b in rows for v in (a, b) if v is not None] or [1]) or 1
    legend = " ".join(f"{_swatch(COLOURS[j])} {escape(name)}" for j, name in enumerate(names))
    rects, values = [], []
    for i, (_text, *pair) in enumerate(rows):
        for j, value in enumerate(pair):
            if value is not None:
                width = 100 * float(value) / top
                y = i * slot + 2 + j * 11
                rects.append(f'<rect x="0" y="{y}" width="{width:.2f}" height="10" fill="{COLOURS[j]}"/>')
        values.append(
            '<span style="font-size:9px;line-height:11px;display:inline-block">'
            + "<br>".join(_number(v) if v is not None else "" for v in pair)
            + "</span>"
        )
    height = slot * max(len(rows), 1)
    labels = [escape(text[:40]) for text, *_pair in rows]
    return _wrap(
        title,
        f'<div style="font-size:11px">{legend}</div>'
        + _three_columns(
            _column(labels, slot=slot, align="right"),
            _rects_svg(rects, height),
            _column(values, slot=slot, align="left"),
            height=height,
        ),
    )


def lines(labels: Sequence[str], series: Sequence[tuple[str, Sequence[int | None]]], *, title: str) -> SafeString:
    """A line per series over the months; a hidden month breaks the line (no point is drawn for it). The axis
    carries numbers only; the legend is HTML."""
    width, height, left, right, top_pad, bottom = 640, 220, 44, 12, 10, 30
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
    legend = []
    for j, (name, vs) in enumerate(series):
        colour = COLOURS[j % len(COLOURS)]
        legend.append(f"{_swatch(colour)} {escape(name)}")
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
    return _wrap(
        title,
        f'<div style="font-size:11px">{" &nbsp; ".join(legend)}</div>{_svg(width, height, title, body)}',
    )


def flows(rows: Sequence[tuple[str, str, int | None]], *, title: str) -> SafeString:
    """Origin on the left, destination on the right, a band between them as wide as the count (hidden counts:
    a thin dashed line, whatever their size). The names are HTML in rows of a fixed height beside the SVG."""
    origins = list(dict.fromkeys(o for o, _d, _v in rows))
    destinations = list(dict.fromkeys(d for _o, d, _v in rows))
    slot = 22
    height = slot * max(len(origins), len(destinations), 1)
    top = max([v for _o, _d, v in rows if v is not None] or [1]) or 1
    paths = []
    for origin, destination, value in rows:
        y1 = origins.index(origin) * slot + slot / 2
        y2 = destinations.index(destination) * slot + slot / 2
        d = f"M0,{y1} C50,{y1} 50,{y2} 100,{y2}"
        if value is None:
            paths.append(
                f'<path d="{d}" fill="none" stroke="{MUTED}" stroke-width="1" stroke-dasharray="3,3" '
                f'vector-effect="non-scaling-stroke"/>'
            )
        else:
            stroke = max(1.5, 12 * float(value) / top)
            paths.append(
                f'<path d="{d}" fill="none" stroke="{COLOURS[0]}" stroke-opacity="0.45" stroke-width="{stroke:.1f}" '
                f'vector-effect="non-scaling-stroke"/>'
            )
    left = _column([escape(o[:30]) for o in origins], slot=slot, align="right")
    right = _column([escape(d[:30]) for d in destinations], slot=slot, align="left")
    table = (
        f'<div style="height:{height}px"><table {_TABLE}><tr>'
        f'<td style="width:30%;border:0;padding:0 4px;vertical-align:top">{left}</td>'
        f'<td style="width:40%;border:0;padding:0;vertical-align:top">{_rects_svg(paths, height)}</td>'
        f'<td style="width:30%;border:0;padding:0 4px;vertical-align:top">{right}</td></tr></table></div>'
    )
    return _wrap(title, table)
