"""What goes with low mobility here: the neighbourhood conditions most strongly tied to children's
outcomes across the place's tracts (with their intervals), whether the place does better or worse
than its conditions predict, the places most like it, and its priority neighbourhoods. Patterns,
not proof of cause; shown when the warehouse has the barrier marts."""

from orchestration.analysts.brief import Section
from orchestration.analysts.brief.markup import table

NAME = "barriers"
ORDER = 25
MARTS = ("city_neighbourhood_conditions", "city_expected_mobility", "city_similar_places")
OUTCOME = "household_income_at_35_p25"  # the headline's outcome, where the mart has it

CONDITIONS = """
with of_place as (
    select * from marts.city_neighbourhood_conditions where city_geoid = $place and r is not null
),
chosen as (
    select outcome, max(acs_vintage) as acs_vintage
    from of_place
    group by outcome
    order by outcome = $outcome desc, outcome
    limit 1
)
select condition, condition_label, r, r_lb, r_ub, count_tracts, is_collinear, acs_vintage, outcome_label
from of_place
inner join chosen using (outcome, acs_vintage)
order by rank_abs_r
limit 3
"""


def present(con) -> set[str]:
    return {r[0] for r in con.execute("select table_name from information_schema.tables where table_schema = 'marts' "
                                      "and table_name in (?, ?, ?)", list(MARTS)).fetchall()}


def build(con, city, t) -> Section | None:
    found = present(con)
    if not found:
        return None
    html = [f"<p>{t('barriers.intro')}</p>"]
    if "city_neighbourhood_conditions" in found:
        rows = con.execute(CONDITIONS, {"place": city.geoid, "outcome": OUTCOME}).fetchall()
        if rows:
            r_fmt = lambda v, s=None: t.number(v, 0.01)  # noqa: E731 - correlations to two places
            cells = [[t.label("condition", code, label), t.interval(r_fmt, r, lb, ub), t.number(n, 1),
                      t("barriers.collinear") if collinear else "–"]
                     for code, label, r, lb, ub, n, collinear, _, _ in rows]
            html.append(table([t("barriers.condition"), t("barriers.r"), t("barriers.tracts"), t("barriers.note")],
                              cells, {1, 2}, caption=t("barriers.strongest", vintage=rows[0][7],
                                                              outcome=t.label("outcome_atlas", OUTCOME, rows[0][8]))))
            html.append(f'<p class="note">{t("barriers.r_means")}</p>')
    if "city_expected_mobility" in found:
        expected = con.execute("select observed, predicted, prediction_lb, prediction_ub, verdict "
                               "from marts.city_expected_mobility where city_geoid = ?", [city.geoid]).fetchone()
        if expected:
            observed, predicted, lb, ub, verdict = expected
            html.append(f"<p>{t('barriers.expected.' + verdict, observed=t.number(observed, 0.1), predicted=t.interval(t.number, predicted, lb, ub))}</p>")
    if "city_similar_places" in found:
        similar = con.execute("select similar_name, similar_state_abbr, similar_observed from marts.city_similar_places "
                              "where city_geoid = ? order by similar_rank", [city.geoid]).fetchall()
        if similar:
            names = ", ".join(f"{name}, {state}" + (f" ({t.number(value, 0.1)})" if value is not None else "")
                              for name, state, value in similar)
            html.append(f"<p>{t('barriers.similar', places=names)}</p>")
    priority = priority_tracts(con, city, t)
    if priority:
        html.append(priority)
    return Section(t("barriers.title"), "".join(html)) if len(html) > 1 else None


def priority_tracts(con, city, t) -> str:
    has_flag = con.execute("select count(*) from information_schema.columns where table_schema = 'marts' and "
                           "table_name = 'tract_opportunity' and column_name = 'is_priority'").fetchone()[0]
    if not has_flag:
        return ""
    rows = con.execute("select tract_geoid, any_value(atlas_name) from marts.tract_opportunity "
                       "where city_geoid = ? and is_priority group by tract_geoid order by tract_geoid",
                       [city.geoid]).fetchall()
    if not rows:
        return f"<p>{t('barriers.no_priority')}</p>"
    names = ", ".join(((name or "").split(",")[0].strip() or tract) + f" ({tract})" for tract, name in rows[:12])
    more = t("barriers.more", count=len(rows) - 12) if len(rows) > 12 else ""
    return f"<p>{t('barriers.priority', count=len(rows), tracts=names)}{more}</p>"
