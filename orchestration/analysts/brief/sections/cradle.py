"""StriveTogether's cradle-to-career milestones, in their order: whether each is measured, measured
by proxy or not available; the place's latest value against similar-size cities and the nation;
each race's value with its interval where one is published."""

from orchestration.analysts.brief import Section
from orchestration.analysts.brief.markup import chart_figure, table, values
from orchestration.analysts.brief.svg import CITY, Row, dot_rows, key_swatch, legend

NAME = "cradle"
ORDER = 35

# Latest published value of each measure for everyone, and the same year's values by race.
LATEST = """
with latest as (
    select *, max(year) over (partition by measure, source, subgroup_type) as latest_year
    from marts.city_cradle_to_career
    where place_geoid = ? and subgroup_type in ('all', 'race-ethnicity') and value is not null
)
select milestone_order, measure, measure_role, unit, year, subgroup_type, subgroup, value, lb, ub, peer_median,
       national_median
from latest
where year = latest_year
order by milestone_order, measure, subgroup_type, subgroup
"""
COVERAGE = """
select milestone, coverage, measures, latest_year
from marts.milestone_coverage where place_geoid = ? order by milestone_order
"""
# The same measure under Local conditions comes from another Urban file: said once, where it shows.
SAME_MEASURE_ELSEWHERE = {"share_employed": "cradle.employment_differs"}


def build(con, city, t) -> Section | None:
    rows = con.execute(LATEST, [city.geoid]).fetchall()
    coverage = con.execute(COVERAGE, [city.geoid]).fetchall()
    if not rows and not coverage:
        return None
    overall = [r for r in rows if r[5] == "all"]
    table_rows, charts, notes = [], [], []
    for _, measure, role, unit, year, _, _, value, lb, ub, peer, national in overall:
        fmt = t.formatter(unit)
        table_rows.append([t.label("measure", measure), t(f"cradle.role.{role}"), str(year),
                           t.interval(fmt, value, lb, ub) if lb is not None else fmt(value),
                           fmt(peer) if peer is not None else "–", fmt(national) if national is not None else "–"])
        if measure in SAME_MEASURE_ELSEWHERE:
            notes.append(t(SAME_MEASURE_ELSEWHERE[measure], value=fmt(value), year=year))
        by_race = [r for r in rows if r[1] == measure and r[5] == "race-ethnicity" and r[4] == year]
        if len(by_race) < 2:
            continue
        name = t.label("measure", measure)
        chart_rows = [Row(f"{t('race.pooled_people')}: {fmt(value)}", value, lb, ub)] + [
            Row(f"{t.label('race', r[6])}: {fmt(r[7])}", r[7], r[8], r[9]) for r in by_race]
        cells = [[t.label("race", r[6]), t.interval(fmt, r[7], r[8], r[9]) if r[8] is not None else fmt(r[7])]
                 for r in by_race]
        title = t("cradle.chart", measure=name, year=year)
        chart = dot_rows(chart_rows, fmt, title, "; ".join(f"{a}: {b}" for a, b in cells))
        charts.append(chart_figure(title, chart, legend([(key_swatch(CITY), t("mobility.key_interval"))]),
                                   t("source.urban_race", year=year),
                                   values(t("page.values"), [t("mobility.group"), t("indicators.value")], cells, {1})))
    covered = [[t.label("milestone", milestone), t(f"cradle.coverage.{state.replace(' ', '_')}"),
                ", ".join(t.label("measure", m) for m in (measures or "").split(", ") if m) or "–",
                str(latest or "–")] for milestone, state, measures, latest in coverage]
    html = (
        f"<p>{t('cradle.intro')}</p>"
        + table([t("cradle.milestone"), t("cradle.coverage"), t("indicators.measure"), t("cradle.latest")], covered,
                caption=t("cradle.what_measured"))
        + table([t("indicators.measure"), t("cradle.role"), t("indicators.year"), t("indicators.value"),
                 t("cradle.peers"), t("cradle.national")], table_rows, {3, 4, 5}, caption=t("cradle.latest_values"))
        + "".join(f'<p class="note">{note}</p>' for note in notes)
        + (f'<div class="grid">{"".join(charts)}</div>' if charts else "")
    )
    return Section(t("cradle.title"), html)
