"""Inline SVG charts, drawn in Python: no script, no font or file to fetch, so a brief works
offline and prints as drawn.

Charts are laid out from the width they are given, not scaled as pictures: the outer `<svg>` has
no viewBox (one unit is one CSS pixel, so text stays 13 px at every width) and horizontal
positions are percentages of its width. Lines and bands sit in an inner `<svg>` stretched to the
plot (their strokes do not scale). Colours have at least 3:1 contrast against white (WCAG 1.4.11);
every chart has a `<title>`, a `<desc>` with its values, and a table of them beside it."""

from dataclasses import dataclass
from html import escape
from math import ceil, cos, floor, log10, radians, sqrt

CITY = "#c2410c"  # the city itself (5.2:1 on white)
OTHERS = "#475569"  # other cities, peers, the comparison arm (7.6:1)
BAND_EDGE = "#475569"  # outline of a distribution band: its fill is only a tint
BAND, BAND_MIDDLE = "#f1f5f9", "#cbd5e1"
# Lowest to highest opportunity: a diverging, colour-blind-safe scale, each at least 3:1 on white,
# and a shape per fifth so the map reads without colour.
QUINTILES = ["#b2182b", "#d6604d", "#767676", "#4393c3", "#2166ac"]
SHAPES = ["triangle-down", "diamond", "circle", "square", "triangle-up"]
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="13"'
TEXT = "#334155"
LEFT, RIGHT = 3.0, 97.0  # the plot's horizontal extent, in percent of the chart's width


@dataclass
class Scale:
    """A linear map from data values to positions (percent of the width, or pixels)."""
    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        span = (self.high - self.low) or 1.0
        return self.start + (value - self.low) / span * (self.end - self.start)


def padded(values: list[float], share: float = 0.08) -> tuple[float, float]:
    low, high = min(values), max(values)
    pad = (high - low) * share or abs(high) * share or 1.0
    return low - pad, high + pad


def ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round values between low and high, about `count` of them."""
    raw = (high - low) / count or 1.0
    magnitude = 10 ** floor(log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = ceil(low / step) * step
    return [round(first + i * step, 10) for i in range(int((high - first) / step + 1e-9) + 1)]


def text(x: str, y: float, content: str, anchor: str = "start", **attributes) -> str:
    extra = " ".join(f'{k.replace("_", "-")}="{v}"' for k, v in attributes.items())
    return f'<text x="{x}" y="{y:.1f}" text-anchor="{anchor}" fill="{TEXT}" {extra}>{escape(content)}</text>'


def pct(value: float) -> str:
    return f"{value:.2f}%"


def edge_anchor(position: float) -> str:
    """Labels near an edge grow inwards, so none is clipped (a last year read as "202")."""
    return "start" if position < 10 else "end" if position > 90 else "middle"


def svg(height: int, body: list[str], label: str, desc: str) -> str:
    return (f'<svg class="chart" width="100%" height="{height}" role="img" aria-label="{escape(label)}" '
            f'xmlns="http://www.w3.org/2000/svg" {FONT}><title>{escape(label)}</title>'
            f'<desc>{escape(desc)}</desc>{"".join(body)}</svg>')


def x_axis(scale: Scale, y: float, fmt, top: float, count: int = 4) -> list[str]:
    parts = []
    for value in ticks(scale.low, scale.high, count):
        x = scale(value)
        parts.append(f'<line x1="{pct(x)}" x2="{pct(x)}" y1="{top:.1f}" y2="{y:.1f}" stroke="#e2e8f0"/>')
        parts.append(text(pct(x), y + 16, fmt(value), edge_anchor(x)))
    return parts


@dataclass
class Row:
    """One row of a dot chart: the city's value (with its interval where one exists), and
    optionally a distribution band (p10-p90, p25-p75, median) and other cities' values."""
    label: str
    value: float | None
    lb: float | None = None
    ub: float | None = None
    band: tuple[float, float, float, float, float] | None = None
    others: tuple[float, ...] = ()


def dot_rows(rows: list[Row], fmt, label: str, desc: str) -> str:
    """One row per group: its label above a track; grey bands for a distribution (outlined),
    small circles for others, the city's dot with its 95% interval as a bar."""
    values = [v for r in rows for v in (r.value, r.lb, r.ub, *(r.band or ()), *r.others) if v is not None]
    scale = Scale(*padded(values), LEFT, RIGHT)
    row_height, top = 50, 4
    bottom = top + row_height * len(rows)
    body = x_axis(scale, bottom, fmt, top, 5)
    for i, row in enumerate(rows):
        y = top + row_height * i + 32
        body.append(text("0", y - 16, row.label, "start", font_weight="600"))
        if row.band:
            p10, p25, p50, p75, p90 = map(scale, row.band)
            body.append(f'<rect x="{pct(p10)}" y="{y - 8:.1f}" width="{pct(p90 - p10)}" height="16" fill="{BAND}" '
                        f'stroke="{BAND_EDGE}" stroke-width="1"/>')
            body.append(f'<rect x="{pct(p25)}" y="{y - 8:.1f}" width="{pct(p75 - p25)}" height="16" '
                        f'fill="{BAND_MIDDLE}" stroke="{BAND_EDGE}" stroke-width="1"/>')
            body.append(f'<line x1="{pct(p50)}" x2="{pct(p50)}" y1="{y - 11:.1f}" y2="{y + 11:.1f}" '
                        f'stroke="#0f172a" stroke-width="2"/>')
        for other in row.others:
            body.append(f'<circle cx="{pct(scale(other))}" cy="{y:.1f}" r="4" fill="white" stroke="{OTHERS}" '
                        'stroke-width="1.5"/>')
        if row.lb is not None and row.ub is not None:
            body.append(f'<line x1="{pct(scale(row.lb))}" x2="{pct(scale(row.ub))}" y1="{y:.1f}" y2="{y:.1f}" '
                        f'stroke="{CITY}" stroke-width="3"/>')
        if row.value is not None:
            body.append(f'<circle cx="{pct(scale(row.value))}" cy="{y:.1f}" r="6.5" fill="{CITY}" stroke="white" '
                        'stroke-width="1.5"/>')
    return svg(int(bottom + 24), body, label, desc)


@dataclass
class Series:
    label: str
    points: list[tuple[float, float]]  # (x, y)
    band: list[tuple[float, float, float]] = ()  # (x, lb, ub)
    colour: str = CITY
    dashed: bool = False


def line_chart(series: list[Series], fmt, label: str, desc: str, height: int = 190) -> str:
    """Lines over years; a series' 95% interval as a shaded band. Value labels sit on their
    gridlines at the left edge, years below, so the plot uses the whole width."""
    xs = [x for s in series for x, _ in s.points]
    ys = [y for s in series for _, y in s.points] + [v for s in series for _, lb, ub in s.band for v in (lb, ub)]
    top, bottom = 18, height - 26
    low, high = (min(xs), max(xs)) if len(set(xs)) > 1 else (min(xs) - 1, max(xs) + 1)
    sx = Scale(low, high, LEFT * 10, RIGHT * 10)  # the inner drawing is 1000 units wide
    sy = Scale(*padded(ys), bottom, top)
    outer, inner = [], []
    for value in ticks(sy.low, sy.high, 3):
        outer.append(f'<line x1="0" x2="100%" y1="{sy(value):.1f}" y2="{sy(value):.1f}" stroke="#e2e8f0"/>')
        outer.append(text("0", sy(value) - 3, fmt(value)))
    years = sorted({int(x) for x in xs} | {int(x) + 1 for x in xs if x % 1})
    years = [y for y in years if low <= y <= high]
    shown = years if len(years) <= 6 else years[:: ceil(len(years) / 5)] + ([years[-1]] if (len(years) - 1) % ceil(len(years) / 5) else [])
    for year in shown:
        x = sx(year) / 10
        outer.append(text(pct(x), bottom + 18, str(year), edge_anchor(x)))
    for s in series:
        if s.band:
            upper = " ".join(f"{sx(x):.1f},{sy(ub):.1f}" for x, _, ub in s.band)
            lower = " ".join(f"{sx(x):.1f},{sy(lb):.1f}" for x, lb, _ in reversed(s.band))
            inner.append(f'<polygon points="{upper} {lower}" fill="{s.colour}" fill-opacity="0.18"/>')
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in s.points)
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        inner.append(f'<polyline points="{path}" fill="none" stroke="{s.colour}" stroke-width="2.5" '
                     f'vector-effect="non-scaling-stroke"{dash}/>')
        fill = f'fill="white" stroke="{s.colour}" stroke-width="2"' if s.dashed else f'fill="{s.colour}"'
        outer += [f'<circle cx="{pct(sx(x) / 10)}" cy="{sy(y):.1f}" r="3.5" {fill}/>' for x, y in s.points]
    stretched = (f'<svg x="0" y="0" width="100%" height="{height}" viewBox="0 0 1000 {height}" '
                 f'preserveAspectRatio="none" aria-hidden="true">{"".join(inner)}</svg>')
    return svg(height, [stretched, *outer], label, desc)


def projection(longitudes: list[float], latitudes: list[float], width: int, height: int, margin: int = 10):
    """Equirectangular projection scaled by the cosine of the middle latitude: true to shape at
    city scale."""
    squeeze = cos(radians((min(latitudes) + max(latitudes)) / 2))
    span_x = (max(longitudes) - min(longitudes)) * squeeze or 1e-6
    span_y = (max(latitudes) - min(latitudes)) or 1e-6
    size = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
    x0 = margin + ((width - 2 * margin) - span_x * size) / 2
    y0 = margin + ((height - 2 * margin) - span_y * size) / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        return x0 + (lon - min(longitudes)) * squeeze * size, y0 + (max(latitudes) - lat) * size

    return project


def rings(geometry: dict) -> list[list[list[float]]]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [ring for polygon in polygons for ring in polygon]


def shape(kind: str, x: float, y: float, r: float, colour: str, title: str = "") -> str:
    """A marker whose outline alone tells the fifth it stands for."""
    style = f'fill="{colour}" stroke="#0f172a" stroke-width="0.6"'
    if kind == "circle":
        tag, where = "circle", f'cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"'
    elif kind == "square":
        s = r * 0.9
        tag, where = "rect", f'x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" height="{2 * s:.1f}"'
    elif kind == "diamond":
        s = r * 1.2
        tag, where = "polygon", f'points="{x:.1f},{y - s:.1f} {x + s:.1f},{y:.1f} {x:.1f},{y + s:.1f} {x - s:.1f},{y:.1f}"'
    else:
        s, flip = r * 1.25, 1 if kind == "triangle-up" else -1
        tag, where = "polygon", (f'points="{x:.1f},{y - s * flip:.1f} {x + s:.1f},{y + s * 0.8 * flip:.1f} '
                                 f'{x - s:.1f},{y + s * 0.8 * flip:.1f}"')
    return f"<{tag} {where} {style}><title>{escape(title)}</title></{tag}>" if title else f"<{tag} {where} {style}/>"


@dataclass
class Dot:
    lon: float
    lat: float
    size: float  # population
    quintile: int  # 1 (lowest) to 5
    title: str


def dot_map(boundary: dict | None, dots: list[Dot], label: str, desc: str, width: int = 720, height: int = 480) -> str:
    """Tract population centres as markers (area by population, colour and shape by fifth) over
    the city boundary when one is bundled. A map is a picture: it scales with the width, and
    holds no text."""
    outline = rings(boundary) if boundary else []
    lons = [d.lon for d in dots] + [p[0] for ring in outline for p in ring]
    lats = [d.lat for d in dots] + [p[1] for ring in outline for p in ring]
    project = projection(lons, lats, width, height)
    body = []
    for ring in outline:
        points, last = [], None
        for lon, lat in ring:
            x, y = project(lon, lat)
            point = f"{x:.1f},{y:.1f}"
            if point != last:
                points.append(point)
                last = point
        body.append(f'<polygon points="{" ".join(points)}" fill="#f8fafc" stroke="#475569" stroke-width="1.2" '
                    f'fill-rule="evenodd"/>')
    largest = max((d.size for d in dots), default=1) or 1
    for dot in sorted(dots, key=lambda d: -d.size):
        x, y = project(dot.lon, dot.lat)
        radius = 3 + 5 * sqrt(dot.size / largest)
        body.append(shape(SHAPES[dot.quintile - 1], x, y, radius, QUINTILES[dot.quintile - 1], dot.title))
    return (f'<svg class="map" viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{escape(label)}" '
            f'xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title><desc>{escape(desc)}</desc>'
            f'{"".join(body)}</svg>')


def key_swatch(colour: str, kind: str = "circle", dashed: bool = False) -> str:
    """A legend's marker, drawn like the chart's."""
    if dashed:
        inner = f'<line x1="1" x2="19" y1="8" y2="8" stroke="{colour}" stroke-width="2.5" stroke-dasharray="6 4"/>'
    else:
        inner = shape(kind, 10, 8, 6, colour)
    return f'<svg width="20" height="16" aria-hidden="true" focusable="false">{inner}</svg>'


def legend(entries: list[tuple[str, str]]) -> str:
    """Entries are (swatch markup, name)."""
    items = "".join(f'<li>{swatch}<span>{escape(name)}</span></li>' for swatch, name in entries)
    return f'<ul class="legend">{items}</ul>'
