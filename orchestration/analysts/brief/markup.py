"""Small HTML pieces every section uses: tables that stack into cards on a phone, and a chart with
its legend, caption and values kept together."""

from html import escape


def table(head: list[str], rows: list[list[str]], numeric: set[int] = frozenset(), caption: str = "",
          raw: bool = False) -> str:
    """A table whose rows stack into labelled cards below 700 px. Cells are escaped unless `raw`."""
    number = ' class="n"'
    def cell(i: int, value: str) -> str:
        css = number if i in numeric else ""
        return f'<td data-label="{escape(head[i])}"{css}>{value if raw else escape(value)}</td>'

    header = "".join(f'<th scope="col"{number if i in numeric else ""}>{escape(h)}</th>' for i, h in enumerate(head))
    body = "".join("<tr>" + "".join(cell(i, v) for i, v in enumerate(row)) + "</tr>" for row in rows)
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f'<table class="stack">{cap}<thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>'


def chart_figure(title: str, chart: str, legend: str = "", caption: str = "", values: str = "",
                 synthetic_mark: str = "") -> str:
    """A chart and everything that explains it, kept on one page when printed."""
    mark = f'<p class="practice">{escape(synthetic_mark)}</p>' if synthetic_mark else ""
    cap = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure><h3>{escape(title)}</h3>{mark}{legend}{chart}{cap}{values}</figure>'


def values(summary: str, head: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    """A chart's values as a table under it, folded (for screen readers and anyone who prefers numbers)."""
    return f'<details class="values"><summary>{escape(summary)}</summary>{table(head, rows, numeric)}</details>'
