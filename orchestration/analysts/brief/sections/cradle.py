"""StriveTogether's cradle-to-career milestones, in their order: the city's latest value against its
peers and the nation, each race's value with its interval where one is published, and for every
milestone whether it is measured, measured by proxy or not available (and what would fill the gap)."""

from html import escape

from orchestration.analysts.brief import Section
from orchestration.analysts.brief.svg import CITY, OTHERS, Row, dot_rows, legend
from orchestration.analysts.brief.words import about, number, percent, points

NAME = "cradle"
ORDER = 35

# Latest published value of each measure for everyone, and the same year's values by race.
LATEST = """
with latest as (
    select *, max(year) over (partition by measure, source, subgroup_type) as latest_year
    from marts.city_cradle_to_career
    where place_geoid = ? and subgroup_type in ('all', 'race-ethnicity') and value is not null
)
select milestone_order, milestone, measure, measure_role, measure_description, unit, year, subgroup_type,
       subgroup, value, lb, ub, peer_median, count_peers, national_median
from latest
where year = latest_year
order by milestone_order, measure, subgroup_type, subgroup
"""


def fmt_for(unit: str):
    return percent if unit == "share 0-1" else number


def interval(lb, ub, fmt) -> str:
    return f"{fmt(lb)}–{fmt(ub)}" if lb is not None and ub is not None else "not published"


def build(con, city) -> Section | None:
    rows = con.execute(LATEST, [city.geoid]).fetchall()
    coverage = con.execute(
        """select milestone_name, coverage, measures, latest_year, official_source
        from marts.milestone_coverage where place_geoid = ? order by milestone_order""",
        [city.geoid],
    ).fetchall()
    if not rows and not coverage:
        return None
    gaps = con.execute(
        """select measure, year, subgroup_comparison, gap, gap_lb, gap_ub, gap_exceeds_uncertainty
        from marts.city_cradle_to_career_gaps where place_geoid = ? and gap is not null""",
        [city.geoid],
    ).fetchall()
    overall = [r for r in rows if r[7] == "all"]
    table = "".join(
        f"<tr><td>{escape(description)}</td><td>{escape(role)}</td><td class=\"n\">{year}</td>"
        f"<td class=\"n\">{fmt_for(unit)(value)}</td><td class=\"n\">{interval(lb, ub, fmt_for(unit))}</td>"
        f"<td class=\"n\">{fmt_for(unit)(peer) if peer is not None else '–'}</td>"
        f"<td class=\"n\">{fmt_for(unit)(national) if national is not None else '–'}</td></tr>"
        for _, _, _, role, description, unit, year, _, _, value, lb, ub, peer, _, national in overall
    )
    charts = []
    for _, _, measure, _, description, unit, year, _, _, value, lb, ub, *_ in overall:
        by_race = [r for r in rows if r[2] == measure and r[7] == "race-ethnicity" and r[6] == year]
        if len(by_race) < 2:
            continue
        fmt = fmt_for(unit)
        chart_rows = [Row("All residents", value, lb, ub)] + [Row(r[8], r[9], r[10], r[11]) for r in by_race]
        chart = dot_rows(chart_rows, fmt, f"{description} by race and ethnicity, {city.name}, {year}")
        gap_fmt = points if fmt is percent else fmt
        said = [f"White, Non-Hispanic minus {comparison}: {about(gap, gap_fmt, gap_lb, gap_ub)}"
                + ("" if exceeds is None else (", beyond the uncertainty" if exceeds else ", within the uncertainty"))
                for gap_measure, gap_year, comparison, gap, gap_lb, gap_ub, exceeds in gaps
                if gap_measure == measure and gap_year == year]
        caption = f"<figcaption>{escape('; '.join(said))}.</figcaption>" if said else ""
        charts.append(f"<figure><h3>{escape(description)} ({year}), by race and ethnicity</h3>{chart}{caption}</figure>")
    covered = "".join(
        f"<tr><td>{escape(name)}</td><td>{escape(state)}</td><td>{escape(measures or '–')}</td>"
        f"<td class=\"n\">{latest or '–'}</td><td>{escape(source if state != 'measured' else '')}</td></tr>"
        for name, state, measures, latest, source in coverage
    )
    counts = {state: sum(1 for c in coverage if c[1] == state) for state in ("measured", "measured by proxy", "not available")}
    summary = [f"Of StriveTogether's {len(coverage)} cradle-to-career milestones, {city.name} has "
               f"{counts['measured']} measured, {counts['measured by proxy']} measured by proxy and "
               f"{counts['not available']} not available."]
    html = (
        "<p>StriveTogether's milestones from early childhood to career, in order, side by side and never combined "
        "into an index: the city's latest value against the median of similar-size cities and the national median "
        "of places of 75,000+, with its 95% interval where the source publishes one.</p>"
        "<table><tr><th>Measure</th><th>Role</th><th class=\"n\">Year</th><th class=\"n\">City</th>"
        "<th class=\"n\">95% interval</th><th class=\"n\">Peer median</th><th class=\"n\">National median</th></tr>"
        f"{table}</table>"
        + (legend([(CITY, f"{city.name}, with its 95% interval where published")]) + "".join(charts) if charts else "")
        + "<h3>What is measured</h3><table><tr><th>Milestone</th><th>Coverage</th><th>Measures</th>"
        "<th class=\"n\">Latest year</th><th>Official source that would fill the gap</th></tr>"
        f"{covered}</table>"
    )
    return Section("Cradle to career", html, summary)
