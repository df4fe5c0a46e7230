"""Upward mobility of the place's children by race, on one scale (individual income rank at about
35, 0-100) against every large US city and the initiative's cities; then the county's official
estimates, on their own scale (household income rank) beside incarceration, with the reason the
two scales are not compared."""

from orchestration.analysts.brief import Section
from orchestration.analysts.brief.markup import chart_figure, table, values
from orchestration.analysts.brief.svg import CITY, Row, dot_rows, key_swatch, legend

NAME = "mobility"
ORDER = 10
RACES = ["pooled", "black", "hisp", "white", "asian", "natam", "other"]
OUTCOME = "income_rank_p25"  # individual income rank at about 35, children of 25th-percentile parents
COUNTY_OUTCOMES = ("household_income_rank_p25", "share_incarcerated_p25")

CITY_ROWS = """
with places as (
    select race, estimate, quality, coverage_share, count_children, is_registry_city, city_geoid
    from marts.city_mobility
    where outcome = ? and gender = 'pooled' and parent_pctile = 25 and estimate is not null
),
national as (
    select race, quantile_cont(estimate, [0.1, 0.25, 0.5, 0.75, 0.9]) as band
    from marts.city_mobility
    where outcome = ? and gender = 'pooled' and parent_pctile = 25 and is_reference_place and estimate is not null
    group by race
)
select places.race, places.estimate, places.quality, places.coverage_share, places.count_children, national.band,
       list(others.estimate order by others.estimate) filter (where others.city_geoid is not null)
from places
left join national on national.race = places.race
left join places as others
    on others.race = places.race and others.is_registry_city and others.city_geoid <> places.city_geoid
where places.city_geoid = ?
group by all
"""

COUNTY_ROWS = """
select county_name, race, outcome, estimate * 100, lb * 100, ub * 100, quality
from marts.county_mobility
where county_geoid = ? and outcome in (?, ?) and gender = 'pooled' and parent_pctile = 25
  and se is not null and not suppressed
"""


def flagged(t, quality, coverage) -> str:
    """The source's quality flag, said where it is marginal or poor."""
    if quality not in (2, 3):
        return ""
    said = t(f"quality.{quality}")
    if coverage is not None and coverage < 0.9:
        said += " " + t("mobility.coverage", share=t.percent(coverage))
    return said


def city_part(con, city, t) -> list[str]:
    found = con.execute(CITY_ROWS, [OUTCOME, OUTCOME, city.geoid]).fetchall()
    found.sort(key=lambda r: RACES.index(r[0]) if r[0] in RACES else len(RACES))
    if not found:
        return []
    rank = lambda v, step=None: t.number(v, step or 1)  # noqa: E731 - ranks read to the whole point
    rows, table_rows = [], []
    for race, value, quality, coverage, children, band, others in found:
        flag = flagged(t, quality, coverage)
        name = t.label("race", race)
        rows.append(Row(f"{name}: {rank(value)}" + (f" ({t('quality.short.' + str(quality))})" if flag else ""),
                        value, band=tuple(band) if band else None, others=tuple(others or ())))
        table_rows.append([name, rank(value), flag or t("quality.1"), t.number(children, 1) if children else "–"])
    by_race = {r[0]: r for r in found}
    html = [f"<p>{t('mobility.intro')}</p>"]
    gap = ""
    if "black" in by_race and "white" in by_race:
        difference = by_race["white"][1] - by_race["black"][1]
        flags = [t.label("race", r) for r in ("white", "black") if by_race[r][2] in (2, 3)]
        gap = t("mobility.gap_higher" if difference >= 0 else "mobility.gap_lower", value=rank(abs(difference)))
        if flags:
            gap += " " + t("mobility.gap_flag", groups=", ".join(flags))
    chart = dot_rows(rows, rank, t("mobility.chart", city=city.name),
                     "; ".join(f"{r[0]}, {r[1]}" for r in table_rows))
    keys = legend([(key_swatch(CITY), city.name), (key_swatch("#cbd5e1", "square"), t("mobility.key_band")),
                   (key_swatch("white"), t("mobility.key_others"))])
    absent = [t.label("race", r) for r in ("hisp", "asian") if r not in by_race]
    covered = t("mobility.groups_covered", groups=", ".join(t.label("race", r) for r in by_race if r != "pooled"),
                absent=", ".join(absent)) if absent else ""
    caption = " ".join(x for x in (gap, t("mobility.caption"), covered, t("source.oi_race")) if x)
    html.append(chart_figure(t("mobility.chart", city=city.name), chart, keys, caption,
                             values(t("page.values"), [t("mobility.group"), t("mobility.rank"), t("mobility.quality"),
                                                       t("mobility.children")], table_rows, {1, 3})))
    return html


def county_part(con, city, t) -> list[str]:
    if not city.county_geoids:
        return []
    found = con.execute(COUNTY_ROWS, [city.county_geoids[0], *COUNTY_OUTCOMES]).fetchall()
    if not found:
        return []
    county = found[0][0]
    by_race: dict[str, dict] = {}
    for _, race, outcome, value, lb, ub, quality in found:
        by_race.setdefault(race, {})[outcome] = (value, lb, ub, quality)
    races = sorted(by_race, key=lambda r: RACES.index(r) if r in RACES else len(RACES))
    rank = lambda v, step=None: t.number(v, step or 0.1)  # noqa: E731
    rows = []
    for race in races:
        income = by_race[race].get(COUNTY_OUTCOMES[0])
        jail = by_race[race].get(COUNTY_OUTCOMES[1])
        rows.append([t.label("race", race),
                     t.interval(t.number, *income[:3]) if income else "–",
                     t.interval(t.percent, jail[0] / 100, jail[1] / 100, jail[2] / 100) if jail else "–",
                     t(f"quality.short.{income[3]}") if income and income[3] else "–"])
    chart_rows = [Row(f"{t.label('race', race)}: {rank(by_race[race][COUNTY_OUTCOMES[0]][0])}",
                      *by_race[race][COUNTY_OUTCOMES[0]][:3]) for race in races if COUNTY_OUTCOMES[0] in by_race[race]]
    html = [f"<h3>{t('mobility.county_title', county=county)}</h3>", f"<p>{t('mobility.scales')}</p>"]
    html.append(table([t("mobility.group"), t("mobility.county_rank"), t("mobility.incarcerated"), t("mobility.quality")],
                      rows, {1, 2}, caption=t("mobility.county_table", county=county)))
    if chart_rows:
        chart = dot_rows(chart_rows, rank, t("mobility.county_chart", county=county),
                         "; ".join(f"{r[0]}, {r[1]}" for r in rows))
        html.append(chart_figure(t("mobility.county_chart", county=county), chart,
                                 legend([(key_swatch(CITY), t("mobility.key_interval"))]),
                                 t("source.atlas_county")))
    html.append(f'<p class="note">{t("mobility.incarceration_note")}</p>')
    return html


def build(con, city, t) -> Section | None:
    city_html = city_part(con, city, t)
    county_html = county_part(con, city, t)
    if not city_html and not county_html:
        return None
    return Section(t("mobility.title"), "".join(city_html + county_html))
