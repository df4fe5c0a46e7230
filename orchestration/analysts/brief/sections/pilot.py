"""The city's pilot: monthly indicators by arm, its estimated impact on the main outcome overall
and by group, each with its 95% interval, and the evidence rating."""

from datetime import date
from html import escape

from orchestration.analysts.brief import Section
from orchestration.analysts.brief.svg import CITY, OTHERS, Row, Series, dot_rows, legend, line_chart
from orchestration.analysts.brief.words import change, number, percent, points

NAME = "pilot"
ORDER = 40
RATINGS = {
    "strong": "Strong evidence: a randomised comparison whose interval excludes zero",
    "moderate": "Moderate evidence: a matched comparison whose interval excludes zero",
    "preliminary": "Preliminary evidence: a before-and-after change whose interval excludes zero",
    "unfavourable": "Unfavourable: the outcome moved the wrong way, beyond the uncertainty",
    "no_detectable_effect": "No detectable effect: the interval includes zero",
    "insufficient_data": "Insufficient data: too few participants to report",
}
DESIGNS = {"randomised": "randomised trial", "matched_comparison": "matched comparison group",
           "pre_post": "before-and-after comparison"}


def label(code: str) -> str:
    return code.replace("_", " ")


def month_number(month: date) -> float:
    return month.year + (month.month - 1) / 12


def monthly_charts(con, pilot_id: str, outcome: str, binary: bool) -> list[str]:
    rows = con.execute(
        "select month, arm, count_enrolled, share_reached_of_enrolled from marts.pilot_monthly_indicators "
        "where pilot_id = ? and outcome = ? order by month", [pilot_id, outcome]).fetchall()
    charts = []
    for column, title, fmt in ((2, "Participants enrolled", number),
                               (3, f"Share reaching {label(outcome)}", percent)):
        if column == 3 and not binary:
            continue
        lines = [Series(arm, [(month_number(r[0]), r[column]) for r in rows if r[1] == arm and r[column] is not None],
                        colour=CITY if arm == "treatment" else OTHERS, dashed=arm == "comparison")
                 for arm in ("treatment", "comparison")]
        lines = [line for line in lines if line.points]
        if lines:
            chart = line_chart(lines, fmt, title)
            charts.append(f"<figure><h3>{escape(title)}</h3>{chart}</figure>")
    return charts


def build(con, city) -> Section | None:
    found = con.execute(
        "select w.pilot_id, w.pilot_name, w.design, w.main_outcome, w.estimate_method, w.effect, w.effect_lb, "
        "w.effect_ub, w.evidence_rating, w.count_treatment, w.count_comparison, w.is_synthetic, i.outcome_type "
        "from marts.what_works w left join marts.pilot_impact i on i.pilot_id = w.pilot_id "
        "and i.outcome = w.main_outcome and i.subgroup_type = 'all' where w.city_geoid = ?", [city.geoid]).fetchone()
    if found is None:
        return None
    (pilot_id, pilot_name, design, outcome, method, effect, lb, ub, rating, treated, compared_to, synthetic,
     outcome_type) = found
    binary = outcome_type == "binary"
    fmt = points if binary else number
    prefix = "" if method == "difference_in_means" else "adjusted_"
    groups = con.execute(
        f"select subgroup_type, subgroup, {prefix}difference, {prefix}difference_lb, {prefix}difference_ub "
        "from marts.pilot_impact where pilot_id = ? and outcome = ? and estimate_status <> 'suppressed_small_cell' "
        f"and {prefix}difference is not null order by subgroup_type = 'all' desc, subgroup_type, subgroup",
        [pilot_id, outcome]).fetchall()
    kinds = {"all": "", "gender": "Gender: ", "race_ethnicity": "Race: "}
    rows = [Row("Everyone" if kind == "all" else kinds.get(kind, f"{label(kind)}: ") + label(group), value, low, high)
            for kind, group, value, low, high in groups]
    what = label(outcome) + (" (share of participants)" if binary else "")
    html = [
        f"<p><strong>{escape(pilot_name or pilot_id)}</strong>: a {DESIGNS.get(design, label(design))} with "
        f"{treated or 0:,} participants" + (f" and {compared_to:,} in the comparison group" if compared_to else "")
        + f". Main outcome: {escape(label(outcome))}.</p>",
        f'<p><span class="badge">{escape(RATINGS.get(rating, label(rating or "not rated")))}</span></p>',
        legend([(CITY, "participants (treatment)"), (OTHERS, "comparison group (dashed)")]),
        f'<div class="grid">{"".join(monthly_charts(con, pilot_id, outcome, binary))}</div>',
    ]
    if rows:
        unit = "percentage points" if binary else "outcome units"
        html.append(
            f"<h3>Estimated impact on {escape(label(outcome))}, overall and by group ({unit})</h3>"
            f"<figure>{dot_rows(rows, lambda v: f'{v * 100:.1f}' if binary else f'{v:,.1f}', f'Impact of {pilot_id}')}"
            "<figcaption>Dot: estimated effect (treatment minus comparison"
            + ("" if method == "difference_in_means" else ", on each participant's change from baseline")
            + "); bar: its 95% interval. Groups of fewer than 11 participants are withheld.</figcaption></figure>"
        )
    summary = []
    if effect is not None and lb is not None:
        summary.append(f"The {city.name} pilot ({DESIGNS.get(design, label(design))}): "
                       f"{change(effect, lb, ub, fmt, label(outcome))}; "
                       f"evidence rating: {label(rating)}" + (" (synthetic practice data)." if synthetic else "."))
    return Section(f"The city's pilot: {pilot_name or pilot_id}", "".join(html), summary, synthetic=bool(synthetic))
