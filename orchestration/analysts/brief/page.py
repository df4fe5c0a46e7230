"""The brief's page: one HTML file with its styles inline, no script, nothing fetched."""

from datetime import datetime
from html import escape

from orchestration.analysts.brief import Section
from orchestration.analysts.brief.city import City

STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #0f172a; margin: 0;
       line-height: 1.45; background: white; }
main { max-width: 780px; margin: 0 auto; padding: 28px 24px 40px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 30px 0 6px; border-bottom: 2px solid #e2e8f0; padding-bottom: 4px; }
h3 { font-size: 14px; margin: 14px 0 4px; }
.lede { color: #475569; margin: 0 0 16px; }
.synthetic { border: 3px solid #b91c1c; background: #fef2f2; color: #7f1d1d; padding: 10px 14px;
             font-weight: 600; margin: 14px 0; }
.summary { background: #f8fafc; border-left: 4px solid #c2410c; padding: 10px 16px; margin: 16px 0; }
.summary li { margin: 4px 0; }
figure { margin: 10px 0 16px; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 12px; color: #475569; margin-top: 4px; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 6px 18px; }
.legend { font-size: 12px; color: #334155; margin: 4px 0; }
.key { margin-right: 14px; white-space: nowrap; }
.key i { display: inline-block; width: 11px; height: 11px; border-radius: 50%; margin-right: 4px;
         vertical-align: -1px; border: 1px solid #1e293b; }
table { border-collapse: collapse; font-size: 12px; width: 100%; margin: 6px 0; break-inside: avoid; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #e2e8f0; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 2px 8px; border-radius: 10px; font-weight: 600; font-size: 13px;
         background: #e2e8f0; }
.note { font-size: 12px; color: #475569; }
footer { font-size: 11px; color: #64748b; margin-top: 30px; border-top: 1px solid #e2e8f0; padding-top: 8px; }
svg.chart { display: block; max-width: 100%; height: auto; }
@page { size: Letter; margin: 14mm 12mm; }
@media print {
  main { padding: 0; max-width: none; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  .synthetic, .summary { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  svg, .key i, .badge { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

SYNTHETIC_NOTICE = ("Synthetic data: the pilot figures on this page come from a generated practice data set, "
                    "not from real participants. They show how results will be reported; they are not results.")


def page(city: City, sections: list[Section], publication: tuple[datetime, str] | None) -> str:
    synthetic = any(s.synthetic for s in sections)
    summary = [sentence for s in sections for sentence in s.summary]
    published = f"{publication[0]:%B %d, %Y}" if publication else "not recorded"
    parts = [
        f"<h1>Economic mobility in {escape(city.name)}, {escape(city.state)}</h1>",
        f'<p class="lede">A brief for city leaders and residents. Population {city.population:,} '
        f"({city.population_year}). Data published {published}.</p>",
    ]
    if synthetic:
        parts.append(f'<div class="synthetic" role="note">{escape(SYNTHETIC_NOTICE)}</div>')
    if summary:
        items = "".join(f"<li>{escape(sentence)}</li>" for sentence in summary)
        parts.append(f'<section class="summary"><h2 id="summary">In short</h2><ul>{items}</ul></section>')
    for section in sections:
        parts.append(f"<section><h2>{escape(section.title)}</h2>")
        if section.synthetic:
            parts.append(f'<div class="synthetic" role="note">{escape(SYNTHETIC_NOTICE)}</div>')
        parts.append(f"{section.html}</section>")
    run = f", run {escape(publication[1][:8])}" if publication and publication[1] else ""
    parts.append(
        "<footer>Sources: Opportunity Insights (Opportunity Atlas; Race and Economic Opportunity), Urban Institute "
        "Upward Mobility Framework, U.S. Census Bureau. Intervals are 95% confidence intervals where the source "
        f"publishes an uncertainty. Mobility Warehouse, published {published}{run}.</footer>"
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Economic mobility in {escape(city.name)} - city brief</title><style>{STYLE}</style></head>"
        f"<body><main>{''.join(parts)}</main></body></html>"
    )
