"""Pilot impact estimates: hand-computed Welch statistics on tiny fixtures (the models' own
SQL, rendered against fixture tables), coverage of the synthetic pilots' true effects on the
built warehouse, and small-cell suppression."""

import json
import math
from pathlib import Path

import duckdb
import jinja2
import pytest

from orchestration import settings

MODELS = settings.DBT_PROJECT_DIR / "models"
MANIFEST = settings.SEEDS_DIR / "pilots" / "synthetic" / "manifest.json"
PARTICIPANT_OUTCOME_COLUMNS = ("city_geoid varchar, pilot_id varchar, design varchar, participant_key varchar, arm varchar, "
                               "race_ethnicity varchar, gender varchar, outcome varchar, is_main_outcome boolean, "
                               "baseline_value double, outcome_date date, outcome_value double, is_synthetic boolean")


def render(model: str) -> str:
    """The model's SQL with each ref pointing at a fixture table of the same name."""
    path = next(MODELS.rglob(f"{model}.sql"))
    return jinja2.Template(path.read_text()).render(ref=lambda name: f"fixture.{name}")


def fixture_connection(participant_outcomes: list[tuple], design: str = "randomised") -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create schema fixture")
    con.execute(f"create table fixture.int_pilot_participant_outcomes ({PARTICIPANT_OUTCOME_COLUMNS})")
    con.executemany(
        "insert into fixture.int_pilot_participant_outcomes values ('3915000', 'p', ?, ?, ?, ?, ?, 'y', true, ?, date '2024-06-01', ?, false)",
        [(design, *row) for row in participant_outcomes],
    )
    con.execute(f"create table fixture.int_pilot_effect_estimates as {render('int_pilot_effect_estimates')}")
    con.execute(f"""create table fixture.stg_pilots__programs as select 'p' as pilot_id, '3915000' as city_geoid,
        'workforce' as topic, '{design}' as design, 'y' as main_outcome, 'Pilot' as pilot_name""")
    con.execute("""create table fixture.stg_pilots__outcome_definitions as select 'p' as pilot_id, 'y' as outcome,
        'continuous' as outcome_type, 'higher' as better_direction""")
    con.execute("create table fixture.int_pilot_participants as select 'p' as pilot_id, false as is_synthetic")
    con.execute(f"create table fixture.pilot_impact as {render('pilot_impact')}")
    return con


def rows(arm: str, values: list[float], baselines: list[float] | None = None, race: str = "black", gender: str = "female"):
    baselines = baselines or [None] * len(values)
    return [(f"{arm}-{race}-{gender}-{i}", arm, race, gender, b, v) for i, (v, b) in enumerate(zip(values, baselines))]


def estimate(con, estimate_type: str, subgroup: str = "all") -> dict:
    cursor = con.execute(
        "select * from fixture.int_pilot_effect_estimates where estimate_type = ? and subgroup = ? and subgroup_type in ('all', 'race_ethnicity')",
        [estimate_type, subgroup])
    names = [d[0] for d in cursor.description]
    return dict(zip(names, cursor.fetchone()))


def test_welch_standard_error_and_degrees_of_freedom_match_a_hand_computation():
    # treatment 2, 4, 6: mean 4, variance 4; comparison 1..5: mean 3, variance 2.5
    con = fixture_connection(rows("treatment", [2, 4, 6]) + rows("comparison", [1, 2, 3, 4, 5]))
    got = estimate(con, "difference_in_means")
    se = math.sqrt(4 / 3 + 2.5 / 5)  # 1.354006...
    df = (4 / 3 + 2.5 / 5) ** 2 / ((4 / 3) ** 2 / 2 + (2.5 / 5) ** 2 / 4)  # 3.532847...
    assert (got["count_treatment"], got["count_comparison"]) == (3, 5)
    assert got["mean_treatment"] == pytest.approx(4) and got["mean_comparison"] == pytest.approx(3)
    assert got["estimate"] == pytest.approx(1)
    assert got["estimate_se"] == pytest.approx(se, rel=1e-12)
    assert got["estimate_df"] == pytest.approx(df, rel=1e-12)
    assert got["estimate_lb"] < 0 < got["estimate_ub"] and got["p_value"] > 0.05


def test_interval_uses_t_critical_values_and_p_value_agrees_with_it():
    # Pre-post with 11 participants: paired changes, df = 10; textbook t(0.975, 10) = 2.228139.
    changes = [1, 3, 2, 5, 4, 6, 2, 3, 4, 5, 3]
    con = fixture_connection(rows("treatment", [10 + c for c in changes], [10] * 11), design="pre_post")
    got = estimate(con, "pre_post_change")
    mean = sum(changes) / 11
    sd = math.sqrt(sum((c - mean) ** 2 for c in changes) / 10)
    assert got["estimate"] == pytest.approx(mean) and got["estimate_se"] == pytest.approx(sd / math.sqrt(11))
    assert got["estimate_df"] == 10
    assert (got["estimate_ub"] - got["estimate"]) / got["estimate_se"] == pytest.approx(2.228139, abs=0.005)
    # Changes m + (-1, 1, ..., 0): sd 1, se 1/sqrt(11); with m = 2.228139/sqrt(11), t sits exactly
    # on the textbook critical value, so the exact two-sided p-value is 0.05.
    m = 2.228139 / math.sqrt(11)
    at_edge = fixture_connection(rows("treatment", [10 + m + d for d in (-1, 1) * 5 + (0,)], [10] * 11),
                                 design="pre_post")
    edge = estimate(at_edge, "pre_post_change")
    assert edge["p_value"] == pytest.approx(0.05, abs=0.002)


def test_large_sample_p_value_matches_the_normal_distribution():
    from statistics import NormalDist

    # df near 10,000: Student's t and the normal agree to about 1e-5 here.
    treatment = [float(i % 7) + 0.09 for i in range(5000)]
    comparison = [float(i % 7) for i in range(5000)]
    con = fixture_connection(rows("treatment", treatment) + rows("comparison", comparison))
    got = estimate(con, "difference_in_means")
    z = got["estimate"] / got["estimate_se"]
    assert got["p_value"] == pytest.approx(2 * (1 - NormalDist().cdf(z)), abs=1e-4)
    assert 0.01 < got["p_value"] < 0.5


def test_difference_in_differences_uses_changes_from_baseline():
    # treatment changes 3, 5, ... ; comparison changes 1, 1, ...: DiD = mean(3,5)*... computed by hand
    treatment = rows("treatment", [13, 15] * 6, [10, 10] * 6)  # changes 3, 5 -> mean 4
    comparison = rows("comparison", [21, 22] * 6, [20, 20] * 6)  # changes 1, 2 -> mean 1.5
    con = fixture_connection(treatment + comparison)
    got = estimate(con, "difference_in_differences")
    var_t = sum((c - 4) ** 2 for c in [3, 5] * 6) / 11
    var_c = sum((c - 1.5) ** 2 for c in [1, 2] * 6) / 11
    assert got["estimate"] == pytest.approx(2.5)
    assert got["estimate_se"] == pytest.approx(math.sqrt(var_t / 12 + var_c / 12))


def test_cells_under_eleven_participants_are_null_and_flagged():
    # Black subgroup: 11 per arm (published); Asian subgroup: 10 treated (suppressed).
    data = (rows("treatment", [float(i) for i in range(11)]) + rows("comparison", [float(i) + 1 for i in range(11)])
            + rows("treatment", [float(i) for i in range(10)], race="asian")
            + rows("comparison", [float(i) for i in range(12)], race="asian"))
    con = fixture_connection(data)
    cursor = con.execute("select * from fixture.pilot_impact where subgroup_type = 'race_ethnicity' order by subgroup")
    names = [d[0] for d in cursor.description]
    asian, black = (dict(zip(names, r)) for r in cursor.fetchall())
    assert black["count_treatment"] == 11 and black["difference"] == pytest.approx(-1) and not black["is_suppressed"]
    assert asian["count_treatment"] is None and asian["mean_treatment"] is None
    assert asian["difference"] is None and asian["difference_se"] is None and asian["difference_p_value"] is None
    assert asian["count_comparison"] == 12  # the comparison arm itself is large enough to publish
    assert asian["is_suppressed"] and asian["estimate_status"] == "suppressed_small_cell"
    assert asian["suppressed_cells"] == "treatment arm"


def true_effects() -> dict[tuple[str, str], float]:
    manifest = json.loads(MANIFEST.read_text())
    return {(p["pilot_id"], t["outcome"]): t["true_effect"] for p in manifest["pilots"] for t in p["true_effects"]}


def test_headline_intervals_cover_every_pilots_true_effect(warehouse_sql):
    truth = true_effects()
    rows_ = warehouse_sql.execute(
        "select pilot_id, main_outcome, effect_lb, effect_ub, is_synthetic from marts.what_works order by pilot_id").fetchall()
    assert len(rows_) == 9
    for pilot, outcome, lb, ub, synthetic in rows_:
        assert synthetic
        assert lb <= truth[(pilot, outcome)] <= ub, (pilot, outcome, lb, ub, truth[(pilot, outcome)])


def test_all_intervals_cover_true_effects_at_the_nominal_rate(warehouse_sql):
    """Every estimable overall interval (unadjusted and baseline-adjusted) of every outcome.
    At 95% each, a few misses among ~25 intervals are expected; more than 3 (probability
    under 3% for calibrated intervals) means the intervals are too narrow."""
    truth = true_effects()
    intervals = warehouse_sql.execute("""
        select pilot_id, outcome, difference_lb, difference_ub from marts.pilot_impact
        where subgroup_type = 'all' and difference_lb is not null
        union all
        select pilot_id, outcome, adjusted_difference_lb, adjusted_difference_ub from marts.pilot_impact
        where subgroup_type = 'all' and adjusted_difference_lb is not null
    """).fetchall()
    assert len(intervals) == len(truth) + 8 - 1  # 8 main outcomes with a baseline, Lansing has no unadjusted
    missed = [(p, o) for p, o, lb, ub in intervals if not lb <= truth[(p, o)] <= ub]
    assert len(missed) <= 3, missed


def test_evidence_ratings_follow_the_stated_rule(warehouse_sql):
    ratings = dict(warehouse_sql.execute("select pilot_id, evidence_rating from marts.what_works").fetchall())
    assert ratings["cincinnati_workforce"] == "strong"  # randomised, interval above zero
    assert ratings["newark_eviction"] == "strong"  # randomised, lower is better, interval below zero
    assert ratings["dayton_early_childhood"] == "moderate"  # matched comparison
    assert ratings["lansing_financial_empowerment"] == "preliminary"  # pre-post
    assert ratings["tulsa_career_education"] == "no_detectable_effect"  # true effect 0


def test_no_published_pilot_count_is_below_eleven(warehouse_sql):
    checks = {
        "pilot_monthly_indicators": ["count_enrolled", "count_new_enrolled", "count_active", "count_served",
                                     "count_measured_to_date", "count_reached_to_date"],
        "pilot_impact": ["count_treatment", "count_comparison", "adjusted_count_treatment", "adjusted_count_comparison"],
        "what_works": ["count_treatment", "count_comparison"],
    }
    for table, columns in checks.items():
        low = " or ".join(f"{c} < 11" for c in columns)
        assert warehouse_sql.execute(f"select count(*) from marts.{table} where {low}").fetchone()[0] == 0
    # Suppression actually happens on this data (tiny groups) and is flagged.
    flagged = warehouse_sql.execute("""
        select count(*) from marts.pilot_impact
        where subgroup = 'native_hawaiian_pacific_islander' and is_suppressed and difference is null""").fetchone()[0]
    assert flagged > 0
    monthly = warehouse_sql.execute("""
        select count(*) from marts.pilot_monthly_indicators
        where is_suppressed and suppressed_cells like '%count_new_enrolled%' and count_new_enrolled is null""").fetchone()[0]
    assert monthly > 0
