"""Local conditions today: the Urban Institute's Upward Mobility metrics by pillar in one compact
table (latest year, 95% interval where published, the median of similar-size cities for registry
cities, the quality flag, and the breakdown by neighbourhood type where Urban publishes one); two
of them over time."""

from orchestration.analysts.brief import Section
from orchestration.analysts.brief.markup import chart_figure, table, values
from orchestration.analysts.brief import urban
from orchestration.analysts.brief.svg import CITY, OTHERS, Series, key_swatch, legend, line_chart

NAME = "indicators"
ORDER = 30

# Urban's pillars, and the metrics of each in the order a reader meets them: name -> unit.
PILLARS = {
    "work": {"pctl_income_20": "dollars", "pctl_income_50": "dollars", "pctl_income_80": "dollars",
             "share_employed": "share", "share_debt_coll": "share"},
    "education": {"share_hs_degree": "share", "share_digital_access": "share"},
    "neighbourhoods": {"share_affordable_available_30_ami": "ratio", "share_affordable_available_50_ami": "ratio",
                       "share_affordable_available_80_ami": "ratio", "share_poverty_exposure": "share",
                       "share_economic_connectedness": "ratio", "share_black_nh_exposure": "share",
                       "share_hispanic_exposure": "share", "share_white_nh_exposure": "share",
                       "share_other_nh_exposure": "share", "share_transit_commuter": "share",
                       "share_transportation_cost": "share"},
    "environment": {"index_air_hazard": "index"},
    "governance": {"rate_crime_violent": "rate", "rate_crime_property": "rate"},
}
TRENDS = ("pctl_income_20", "share_employed")
SUBGROUPS = ("Neighborhoods of color", "Mixed neighborhoods", "White neighborhoods")

def formatter(t, unit: str):
    if unit == "dollars":
        return t.dollars
    if unit == "share":
        return t.percent
    return lambda value, step=None: t.number(value, step or (0.01 if unit == "ratio" else None))


def side(value: float, peer: float, exceeds: bool | None) -> str:
    """The city against the peer median, in a table cell's few words."""
    if exceeds is None:
        return "compare.no_interval"
    if not exceeds:
        return "compare.same"
    return "compare.higher" if value > peer else "compare.lower"


def build(con, city, t) -> Section | None:
    latest = urban.metrics(con, city.geoid)
    if not latest:
        return None
    overall = {r["metric"]: r for r in latest if r["subgroup_type"] == "all"}
    groups: dict[str, dict[str, float]] = {}
    for r in latest:
        if r["subgroup_type"] == "race-ethnicity" and r["subgroup"] in SUBGROUPS:
            groups.setdefault(r["metric"], {})[r["subgroup"]] = r["value"]
    tables = []
    for pillar, metrics in PILLARS.items():
        rows = []
        for metric, unit in metrics.items():
            if metric not in overall:
                continue
            row = overall[metric]
            year, value, lb, ub, quality, peer, exceeds = (row[k] for k in (
                "year", "value", "lb", "ub", "quality", "peer_median", "exceeds"))
            fmt = formatter(t, unit)
            shown = t.interval(fmt, value, lb, ub) if lb is not None else fmt(value)
            compared = f"{fmt(peer)} ({t(side(value, peer, exceeds))})" if peer is not None else "–"
            split = " · ".join(f"{t.label('neighbourhood_type', g)} {fmt(groups[metric][g])}"
                               for g in SUBGROUPS if g in groups.get(metric, {}))
            rows.append([t.label("metric", metric), str(year), shown, compared,
                         t(f"quality.short.{quality}") if quality else "–", split or "–"])
        if rows:
            tables.append(table([t("indicators.measure"), t("indicators.year"), t("indicators.value"),
                                 t("indicators.peers"), t("mobility.quality"), t("indicators.by_type")], rows,
                                {2, 3}, caption=t(f"pillar.{pillar}")))
    html = [f"<p>{t('indicators.intro')}</p>", *tables, f'<p class="note">{t("indicators.notes")} {t("source.urban")}</p>']
    charts = []
    history = [(r["metric"], r["year"], r["value"], r["lb"], r["ub"], r["peer_median"])
               for r in urban.metrics(con, city.geoid, latest_only=False, names=TRENDS) if r["subgroup_type"] == "all"]
    for metric in TRENDS:
        series = [r for r in history if r[0] == metric]
        if len(series) < 2:
            continue
        fmt = formatter(t, PILLARS["work"][metric])
        name = t.label("metric", metric)
        city_line = Series(city.name, [(r[1], r[2]) for r in series],
                           band=[(r[1], r[3], r[4]) for r in series if r[3] is not None and r[4] is not None])
        peers = Series(t("words.peers_short"), [(r[1], r[5]) for r in series if r[5] is not None], colour=OTHERS,
                       dashed=True)
        table_rows = [[str(r[1]), t.interval(fmt, r[2], r[3], r[4]) if r[3] is not None else fmt(r[2]),
                       fmt(r[5]) if r[5] is not None else "–"] for r in series]
        desc = "; ".join(f"{r[0]}: {r[1]}" for r in table_rows)
        chart = line_chart([city_line, peers] if peers.points else [city_line], fmt, name, desc)
        keys = legend([(key_swatch(CITY), city.name), (key_swatch(OTHERS, dashed=True), t("words.peers_short"))])
        charts.append(chart_figure(name, chart, keys, t("indicators.trend_caption") + " " + t("source.urban"),
                                   values(t("page.values"), [t("indicators.year"), city.name, t("words.peers_short")],
                                          table_rows, {1, 2})))
    if charts:
        html.append(f'<div class="grid">{"".join(charts)}</div>')
    return Section(t("indicators.title"), "".join(html))
