"""Local conditions over time (Urban Institute metrics, built from Census data) against the
median of similar-size cities, each year with its 95% interval where one is published."""

from html import escape

from orchestration.analysts.brief import Section
from orchestration.analysts.brief.svg import CITY, OTHERS, Series, legend, line_chart
from orchestration.analysts.brief.words import about, compared, dollars, number, percent

NAME = "indicators"
ORDER = 30

# The metrics a leader reads first: name -> (what it measures, how its values read).
METRICS = {
    "pctl_income_20": ("Household income at the 20th percentile", dollars),
    "share_employed": ("Adults 25-54 who are employed", percent),
    "share_hs_degree": ("Young adults (19-20) with a high school degree", percent),
    "share_poverty_exposure": ("Poor residents living in high-poverty neighbourhoods", percent),
    "share_digital_access": ("Households with broadband access", percent),
    "rate_crime_violent": ("Violent crimes per 100,000 residents", number),
}


def build(con, city) -> Section | None:
    rows = con.execute(
        f"""select metric, year, value, lb, ub, peer_median, count_peers, difference_exceeds_uncertainty
        from marts.city_peer_comparison
        where city_geoid = ? and subgroup_type = 'all' and value is not null
          and metric in ({", ".join("?" for _ in METRICS)})
        order by metric, year""",
        [city.geoid, *METRICS],
    ).fetchall()
    if not rows:
        return None
    charts, summary = [], []
    for metric, (label, fmt) in METRICS.items():
        series = [r for r in rows if r[0] == metric]
        if not series:
            continue
        city_line = Series(city.name, [(r[1], r[2]) for r in series],
                           band=[(r[1], r[3], r[4]) for r in series if r[3] is not None and r[4] is not None])
        peers = Series("peer median", [(r[1], r[5]) for r in series if r[5] is not None], colour=OTHERS, dashed=True)
        chart = line_chart([city_line, peers] if peers.points else [city_line], fmt, f"{label}, {city.name}")
        charts.append(f"<figure><h3>{escape(label)}</h3>{chart}</figure>")
        _, year, value, lb, ub, peer, count_peers, exceeds = series[-1]
        sentence = f"{label} ({year}): {about(value, fmt, lb, ub)}"
        if peer is not None:
            sentence += ", " + compared(value, peer, exceeds, fmt, f"the median of {count_peers} similar-size cities")
        summary.append(sentence + ".")
    html = (
        "<p>How local conditions have moved, against the median of similar-size cities (the 75,000+ places with "
        "half to twice the population). Shaded: the 95% interval the Urban Institute publishes for the city's "
        "value, where it publishes one.</p>"
        + legend([(CITY, city.name), (OTHERS, "median of similar-size cities (dashed)")])
        + f'<div class="grid">{"".join(charts)}</div>'
    )
    # The page summary takes the two first-listed metrics; the rest stay in the section.
    notes = "".join(f"<li>{escape(s)}</li>" for s in summary)
    return Section("Local conditions over time, against similar cities", html + f'<ul class="note">{notes}</ul>',
                   summary[:2])
