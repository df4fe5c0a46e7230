"""The place's pilot: who was enrolled and who is analysed, its estimated impact on the primary
outcome overall and by group with 95% intervals, and its evidence rating: what the rating means
and why the pilot got it. Every chart of synthetic practice data carries its own mark."""

from datetime import date

from orchestration.analysts.brief import Section
from orchestration.analysts.brief.markup import chart_figure, values
from orchestration.analysts.brief.svg import CITY, OTHERS, Row, Series, dot_rows, key_swatch, legend, line_chart

NAME = "pilot"
ORDER = 40
DOLLAR_OUTCOMES = {"rent_arrears_dollars", "savings_balance", "quarterly_wages", "hourly_wage"}


def month_number(month: date) -> float:
    return month.year + (month.month - 1) / 12


def the_pilot(con, city) -> dict | None:
    cursor = con.execute("select * from marts.what_works where city_geoid = ?", [city.geoid])
    row = cursor.fetchone()
    if row is None:
        return None
    found = dict(zip([d[0] for d in cursor.description], row))
    found["outcome"] = found.get("primary_outcome") or found.get("main_outcome")
    enrolled = dict(con.execute("select arm, max(count_enrolled) from marts.pilot_monthly_indicators "
                                "where pilot_id = ? group by arm", [found["pilot_id"]]).fetchall())
    found["enrolled_treatment"] = found.get("count_assigned_treatment") or enrolled.get("treatment")
    found["enrolled_comparison"] = found.get("count_assigned_comparison") or enrolled.get("comparison")
    found["analysed_treatment"] = found.get("count_analysed_treatment") or found.get("count_treatment")
    found["analysed_comparison"] = found.get("count_analysed_comparison") or found.get("count_comparison")
    kind = con.execute("select any_value(outcome_type) from marts.pilot_impact where pilot_id = ? and outcome = ?",
                       [found["pilot_id"], found["outcome"]]).fetchone()
    found["binary"] = bool(kind and kind[0] == "binary")
    return found


def formatter(t, pilot):
    if pilot["binary"]:
        return t.points
    if pilot["outcome"] in DOLLAR_OUTCOMES or pilot.get("primary_outcome_unit") == "dollars":
        return t.dollars
    return t.number


def why(t, pilot) -> str:
    """Why the pilot got its rating: the warehouse's own sentence in English, the same facts
    from the catalogue otherwise (or when the sentence is missing)."""
    if t.code == "en" and pilot.get("rating_reason"):
        return pilot["rating_reason"]
    said = [t(f"rating.design.{pilot['design']}")]
    if pilot.get("is_low_attrition") is not None and pilot.get("attrition_overall") is not None:
        said.append(t("rating.attrition_low" if pilot["is_low_attrition"] else "rating.attrition_high",
                      overall=t.percent(pilot["attrition_overall"]),
                      differential=t.number((pilot.get("attrition_differential") or 0) * 100, 1)))
    if pilot.get("baseline_equivalence"):
        said.append(t(f"rating.baseline.{pilot['baseline_equivalence']}"))
    return " ".join(said)


def monthly_charts(con, t, pilot) -> list[str]:
    rows = con.execute(
        "select month, arm, count_enrolled, share_reached_of_enrolled from marts.pilot_monthly_indicators "
        "where pilot_id = ? and outcome = ? order by month", [pilot["pilot_id"], pilot["outcome"]]).fetchall()
    charts = []
    outcome = t.label("outcome", pilot["outcome"])
    for column, title, fmt in ((2, t("pilot.enrolled_chart"), lambda v, s=None: t.number(v, 1)),
                               (3, t("pilot.reached_chart", outcome=outcome), t.percent)):
        if column == 3 and not pilot["binary"]:
            continue
        lines = [Series(t(f"pilot.arm.{arm}"), [(month_number(r[0]), r[column]) for r in rows
                                                if r[1] == arm and r[column] is not None],
                        colour=CITY if arm == "treatment" else OTHERS, dashed=arm == "comparison")
                 for arm in ("treatment", "comparison")]
        lines = [line for line in lines if line.points]
        if not lines:
            continue
        last = [[line.label, fmt(line.points[-1][1])] for line in lines]
        chart = line_chart(lines, fmt, title, "; ".join(f"{a}: {b}" for a, b in last))
        keys = legend([(key_swatch(line.colour, dashed=line.dashed), line.label) for line in lines])
        charts.append(chart_figure(title, chart, keys, t("pilot.monthly_caption"),
                                   values(t("page.values"), [t("pilot.arm"), t("pilot.last_month")], last, {1}),
                                   synthetic_mark=t("page.practice") if pilot["is_synthetic"] else ""))
    return charts


def impact_chart(con, t, pilot, fmt) -> str:
    prefix = "" if pilot["estimate_method"] in ("difference_in_means", None) else "adjusted_"
    groups = con.execute(
        f"select subgroup_type, subgroup, {prefix}difference, {prefix}difference_lb, {prefix}difference_ub "
        "from marts.pilot_impact where pilot_id = ? and outcome = ? and estimate_status <> 'suppressed_small_cell' "
        f"and {prefix}difference is not null order by subgroup_type = 'all' desc, subgroup_type, subgroup",
        [pilot["pilot_id"], pilot["outcome"]]).fetchall()
    if not groups:
        return ""
    scale = (lambda v, s=None: t.number(v * 100, 1)) if pilot["binary"] else fmt
    rows, cells = [], []
    for kind, group, value, low, high in groups:
        name = t("pilot.everyone") if kind == "all" else t.label(f"subgroup.{kind}", group)
        rows.append(Row(f"{name}: {scale(value)}", value, low, high))
        cells.append([name, t.interval(scale, value, low, high)])
    outcome = t.label("outcome", pilot["outcome"])
    title = t("pilot.impact_chart", outcome=outcome) + (" " + t("pilot.in_points") if pilot["binary"] else "")
    chart = dot_rows(rows, scale, title, "; ".join(f"{a}: {b}" for a, b in cells))
    return chart_figure(title, chart, legend([(key_swatch(CITY), t("pilot.key_effect"))]), t("pilot.impact_caption"),
                        values(t("page.values"), [t("mobility.group"), t("pilot.effect")], cells, {1}),
                        synthetic_mark=t("page.practice") if pilot["is_synthetic"] else "")


def build(con, city, t) -> Section | None:
    pilot = the_pilot(con, city)
    if pilot is None:
        return None
    fmt = formatter(t, pilot)
    outcome = t.label("outcome", pilot["outcome"])
    design = t(f"pilot.design.{pilot['design']}")
    counts = t("pilot.counts", enrolled_t=t.number(pilot["enrolled_treatment"] or 0, 1),
               analysed_t=t.number(pilot["analysed_treatment"] or 0, 1))
    if pilot["enrolled_comparison"]:
        counts += " " + t("pilot.counts_comparison", enrolled_c=t.number(pilot["enrolled_comparison"], 1),
                          analysed_c=t.number(pilot["analysed_comparison"] or 0, 1))
    rating = pilot["evidence_rating"] or "insufficient_data"
    html = [f"<p><strong>{t.label('pilot_name', pilot['pilot_id'], pilot['pilot_name'])}</strong>: {design}. "
            f"{t('pilot.outcome', outcome=outcome)}</p>",
            f"<p>{counts} {t('pilot.analysed_means')}</p>"]
    if pilot["effect"] is not None and pilot["effect_lb"] is not None:
        html.append(f"<p>{t('pilot.result', change=t.change(pilot['effect'], pilot['effect_lb'], pilot['effect_ub'], fmt, outcome))}</p>")
    html.append(f'<p><span class="badge">{t.label("rating", rating)}</span></p>'
                f"<p>{t.label('rating_means', rating, '')} {t('pilot.why', reason=why(t, pilot))}</p>")
    html.append(impact_chart(con, t, pilot, fmt))
    html.append(f'<div class="grid">{"".join(monthly_charts(con, t, pilot))}</div>')
    return Section(t("pilot.title", name=t.label("pilot_name", pilot["pilot_id"], pilot["pilot_name"])),
                   "".join(html), synthetic=bool(pilot["is_synthetic"]))
