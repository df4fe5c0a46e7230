"""The brief's page: one HTML file with its styles inline, no script, nothing fetched. One column
below 700 px; tables stack into cards; charts are laid out from the width (svg.py)."""

from datetime import datetime
from html import escape

from orchestration.analysts.brief import Section
from orchestration.analysts.brief.city import City
from orchestration.analysts.brief.headline import Headline
from orchestration.analysts.brief.i18n import Lang

STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #0f172a; margin: 0;
       line-height: 1.5; background: white; font-size: 16px; overflow-wrap: break-word; }
main, .top, footer { max-width: 860px; margin: 0 auto; padding: 0 20px; }
main { padding-bottom: 24px; }
.top { padding-top: 10px; font-size: 14px; }
.top nav { display: flex; gap: 16px; flex-wrap: wrap; }
a { color: #1d4ed8; }
h1 { font-size: 28px; line-height: 1.2; margin: 12px 0 4px; }
h2 { font-size: 21px; margin: 32px 0 8px; border-bottom: 2px solid #cbd5e1; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 16px 0 4px; }
.lede { color: #475569; margin: 0 0 12px; }
.synthetic { border: 3px solid #b91c1c; background: #fef2f2; color: #7f1d1d; padding: 8px 12px;
             font-weight: 600; font-size: 15px; margin: 14px 0; }
.practice { display: inline-block; border: 2px solid #b91c1c; color: #7f1d1d; font-weight: 700; font-size: 13px;
            padding: 1px 8px; margin: 0 0 6px; }
.headline { margin: 8px 0 0; }
.headline .sentence { font-size: 20px; line-height: 1.35; font-weight: 600; margin: 8px 0 14px; }
.figures { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 12px; }
.card { border: 1px solid #cbd5e1; border-top: 4px solid #c2410c; padding: 10px 12px; background: #f8fafc; }
.card .big { font-size: 30px; font-weight: 700; margin: 0; line-height: 1.15; }
.card p { margin: 4px 0; font-size: 14px; }
.card .interval { font-weight: 600; }
.card .source, .note, figcaption { font-size: 13px; color: #475569; }
.flag { color: #7f1d1d; font-weight: 600; font-size: 13px; }
nav.sections ul { display: flex; flex-wrap: wrap; gap: 4px 16px; padding: 0; list-style: none; font-size: 14px; margin: 16px 0 0; }
figure { margin: 12px 0 20px; break-inside: avoid; page-break-inside: avoid; }
figcaption { margin-top: 4px; }
.grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 6px 20px; }
ul.legend { list-style: none; padding: 0; margin: 4px 0; display: flex; flex-wrap: wrap; gap: 2px 14px; font-size: 13px; }
ul.legend li { display: flex; align-items: center; gap: 4px; }
table { border-collapse: collapse; font-size: 14px; width: 100%; margin: 6px 0; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid #e2e8f0; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; page-break-inside: avoid; }
details.values { margin: 4px 0; font-size: 14px; }
details.values summary { cursor: pointer; color: #1d4ed8; }
.badge { display: inline-block; padding: 2px 10px; border: 2px solid #334155; font-weight: 600; }
svg.chart { display: block; width: 100%; overflow: visible; }
svg.map { display: block; width: 100%; height: auto; max-width: 720px; }
footer { font-size: 13px; color: #475569; border-top: 1px solid #cbd5e1; padding-top: 8px; padding-bottom: 24px; }
@media (max-width: 699px) {
  main, .top, footer { padding: 0 14px; }
  h1 { font-size: 24px; }
  .figures, .grid { grid-template-columns: minmax(0, 1fr); }
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.stack, table.stack caption, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack tr { border: 1px solid #cbd5e1; margin: 0 0 8px; padding: 4px 8px; }
  table.stack td { border: 0; padding: 2px 0; text-align: left; }
  table.stack td::before { content: attr(data-label) ": "; font-weight: 600; color: #334155; }
}
@page { size: Letter; }
@media print {
  main, .top, footer { max-width: none; padding: 0; }
  .top, nav.sections { display: none; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  details.values { display: none; }
  .synthetic, .card, .practice, svg, .badge { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def figure_card(figure) -> str:
    flag = f'<p class="flag">{escape(figure.quality)}</p>' if figure.quality else ""
    return (f'<div class="card"><p class="big">{escape(figure.value)}</p><p>{escape(figure.meaning)}</p>'
            f'<p class="interval">{escape(figure.interval)}</p><p class="source">{escape(figure.source)}</p>{flag}</div>')


def page(city: City, top: Headline, sections: list[Section], publication: tuple[datetime, str] | None, t: Lang,
         links: dict[str, str]) -> str:
    synthetic = any(s.synthetic for s in sections)
    published = t.date(publication[0].date()) if publication else t("page.not_recorded")
    title = t("page.title", city=city.name, state=city.state)
    population = (t("page.population", value=t.number(city.population, 1), year=city.population_year)
                  if city.population else "")
    parts = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="lede">{escape(t("page.lede"))} {escape(population)} {escape(t("page.published", date=published))}</p>',
    ]
    cards = "".join(figure_card(f) for f in top.figures)
    parts.append(f'<section class="headline" aria-labelledby="what-matters"><h2 id="what-matters">'
                 f'{escape(t("page.what_matters"))}</h2><p class="sentence">{escape(top.sentence)}</p>'
                 f'<div class="figures">{cards}</div></section>')
    if synthetic:  # before any pilot figure; the first screen is about what matters
        parts.append(f'<div class="synthetic" role="note">{escape(t("page.synthetic"))}</div>')
    toc = "".join(f'<li><a href="#{s.anchor}">{escape(s.title)}</a></li>' for s in sections)
    parts.append(f'<nav class="sections" aria-label="{escape(t("page.contents"))}"><ul>{toc}</ul></nav>')
    for section in sections:
        parts.append(f'<section aria-labelledby="{section.anchor}"><h2 id="{section.anchor}">{escape(section.title)}</h2>')
        if section.synthetic:
            parts.append(f'<div class="synthetic" role="note">{escape(t("page.synthetic"))}</div>')
        parts.append(f"{section.html}</section>")
    run = f" ({escape(publication[1][:8])})" if publication and publication[1] else ""
    metas = (f'<meta name="brief-date" content="{escape(published)}">'
             f'<meta name="brief-practice" content="{escape(t("page.header_practice")) if synthetic else ""}">'
             f'<meta name="brief-page-word" content="{escape(t("page.page"))}">')
    footer = f"{escape(t('page.sources'))} {escape(t('page.footer', date=published))}{run}"
    return document(f"{title} - {t('page.kind')}", "".join(parts), t, links, footer, metas)


def document(title: str, body: str, t: Lang, links: dict[str, str], footer: str, metas: str = "") -> str:
    """A whole page: styles inline, the links to other pages (if any) at its top."""
    nav = "".join(f'<a href="{escape(href)}">{escape(name)}</a>' for name, href in links.items())
    header = f'<header class="top"><nav aria-label="{escape(t("page.links"))}">{nav}</nav></header>' if nav else ""
    return (
        f'<!DOCTYPE html><html lang="{t.code}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">{metas}'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>{header}<main>{body}</main><footer>{footer}</footer></body></html>"
    )
