"""Inline SVG charts, drawn in Python: no script, no font or file to fetch, so a brief works
offline and prints as drawn. Colours: a colour-blind-safe sequential scale (quintiles) and one
accent for the city itself."""

from dataclasses import dataclass
from html import escape
from math import ceil, cos, floor, log10, radians, sqrt

CITY = "#c2410c"  # the city itself
OTHERS = "#64748b"  # other cities, peers
BAND = "#e2e8f0"  # the middle of a distribution
QUINTILES = ["#b2182b", "#ef8a62", "#f7e7a6", "#67a9cf", "#2166ac"]  # lowest to highest opportunity
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="12"'


@dataclass
class Scale:
    """A linear map from data values to pixels."""
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


def ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values between low and high, about `count` of them."""
    raw = (high - low) / count or 1.0
    magnitude = 10 ** floor(log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = ceil(low / step) * step
    return [round(first + i * step, 10) for i in range(int((high - first) / step + 1e-9) + 1)]


def text(x: float, y: float, content: str, anchor: str = "start", **attributes) -> str:
    extra = " ".join(f'{k.replace("_", "-")}="{v}"' for k, v in attributes.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {extra}>{escape(content)}</text>'


def svg(width: int, height: int, body: list[str], label: str) -> str:
    return (f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
            f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg" {FONT}>'
            f'<title>{escape(label)}</title>{"".join(body)}</svg>')


def axis(scale: Scale, y: float, fmt, top: float) -> list[str]:
    parts = []
    for value in ticks(scale.low, scale.high):
        x = scale(value)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top:.1f}" y2="{y:.1f}" stroke="#f1f5f9"/>')
        parts.append(text(x, y + 14, fmt(value), "middle", fill="#475569"))
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


def dot_rows(rows: list[Row], fmt, label: str, width: int = 720) -> str:
    """Horizontal rows: grey bands for a distribution, small dots for others, the city's dot with
    its 95% interval as a bar."""
    values = [v for r in rows for v in (r.value, r.lb, r.ub, *(r.band or ()), *r.others) if v is not None]
    left, right, row_height, top = 230, width - 20, 34, 10
    scale = Scale(*padded(values), left, right)
    bottom = top + row_height * len(rows)
    body = axis(scale, bottom, fmt, top)
    for i, row in enumerate(rows):
        y = top + row_height * i + row_height / 2
        shown = row.label if len(row.label) <= 30 else row.label[:29] + "…"
        body.append(text(left - 10, y + 4, shown, "end", fill="#0f172a"))
        if row.band:
            p10, p25, p50, p75, p90 = map(scale, row.band)
            body.append(f'<rect x="{p10:.1f}" y="{y - 9:.1f}" width="{p90 - p10:.1f}" height="18" fill="{BAND}"/>')
            body.append(f'<rect x="{p25:.1f}" y="{y - 9:.1f}" width="{p75 - p25:.1f}" height="18" fill="#cbd5e1"/>')
            body.append(f'<line x1="{p50:.1f}" x2="{p50:.1f}" y1="{y - 11:.1f}" y2="{y + 11:.1f}" stroke="#334155" stroke-width="2"/>')
        for other in row.others:
            body.append(f'<circle cx="{scale(other):.1f}" cy="{y:.1f}" r="3.5" fill="none" stroke="{OTHERS}"/>')
        if row.lb is not None and row.ub is not None:
            body.append(f'<line x1="{scale(row.lb):.1f}" x2="{scale(row.ub):.1f}" y1="{y:.1f}" y2="{y:.1f}" '
                        f'stroke="{CITY}" stroke-width="3"/>')
        if row.value is not None:
            body.append(f'<circle cx="{scale(row.value):.1f}" cy="{y:.1f}" r="6" fill="{CITY}" stroke="white"/>')
            body.append(text(scale(row.value), y - 10, fmt(row.value), "middle", fill=CITY, font_weight="600"))
    return svg(width, int(bottom + 24), body, label)


@dataclass
class Series:
    label: str
    points: list[tuple[float, float]]  # (x, y)
    band: list[tuple[float, float, float]] = ()  # (x, lb, ub)
    colour: str = CITY
    dashed: bool = False


def line_chart(series: list[Series], fmt, label: str, width: int = 340, height: int = 170) -> str:
    """Lines over time; a series' 95% interval as a shaded band."""
    xs = [x for s in series for x, _ in s.points]
    ys = [y for s in series for _, y in s.points] + [v for s in series for _, lb, ub in s.band for v in (lb, ub)]
    left, right, top, bottom = 52, width - 10, 10, height - 22
    sx = Scale(min(xs), max(xs), left, right) if len(set(xs)) > 1 else Scale(min(xs) - 1, max(xs) + 1, left, right)
    sy = Scale(*padded(ys), bottom, top)
    body = []
    for value in ticks(sy.low, sy.high, 4):
        body.append(f'<line x1="{left}" x2="{right}" y1="{sy(value):.1f}" y2="{sy(value):.1f}" stroke="#f1f5f9"/>')
        body.append(text(left - 6, sy(value) + 4, fmt(value), "end", fill="#475569", font_size="10"))
    # x is a year (monthly points are fractions of one): label the whole years in range.
    for year in sorted({int(x) for x in xs} | {int(x) + 1 for x in xs if x % 1}):
        if sx.low <= year <= sx.high:
            body.append(text(sx(year), bottom + 15, str(year), "middle", fill="#475569", font_size="10"))
    for s in series:
        if s.band:
            upper = " ".join(f"{sx(x):.1f},{sy(ub):.1f}" for x, _, ub in s.band)
            lower = " ".join(f"{sx(x):.1f},{sy(lb):.1f}" for x, lb, _ in reversed(s.band))
            body.append(f'<polygon points="{upper} {lower}" fill="{s.colour}" fill-opacity="0.18"/>')
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in s.points)
        dash = ' stroke-dasharray="5 4"' if s.dashed else ""
        body.append(f'<polyline points="{path}" fill="none" stroke="{s.colour}" stroke-width="2"{dash}/>')
        body += [f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="2.5" fill="{s.colour}"/>' for x, y in s.points]
    return svg(width, height, body, label)


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


@dataclass
class Dot:
    lon: float
    lat: float
    size: float  # population
    colour: str
    title: str


def dot_map(boundary: dict | None, dots: list[Dot], label: str, width: int = 720, height: int = 480) -> str:
    """Tract population centres as dots (area by population) over the city boundary."""
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
        body.append(f'<polygon points="{" ".join(points)}" fill="#f8fafc" stroke="#475569" stroke-width="1" '
                    f'fill-rule="evenodd"/>')
    largest = max((d.size for d in dots), default=1) or 1
    for dot in sorted(dots, key=lambda d: -d.size):
        x, y = project(dot.lon, dot.lat)
        radius = 2.5 + 5.5 * sqrt(dot.size / largest)
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{dot.colour}" stroke="#1e293b" '
                    f'stroke-width="0.4"><title>{escape(dot.title)}</title></circle>')
    return svg(width, height, body, label)


def legend(entries: list[tuple[str, str]]) -> str:
    items = "".join(f'<span class="key"><i style="background:{colour}"></i>{escape(name)}</span>'
                    for colour, name in entries)
    return f'<div class="legend">{items}</div>'
