"""Pilot evidence on the built warehouse, against reference implementations: the ANCOVA and its
robust standard errors against statsmodels on every bundled pilot's analytic sample, attrition
and baseline equivalence recomputed from the participants, q-values against statsmodels'
Benjamini-Hochberg, the subgroup test against scipy's chi-square, the home-tract opportunity
subgroups against quintiles recomputed from the tract estimates, and the WWC ratings against
what the synthetic data's manifest says each pilot should get."""

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests

from orchestration import settings

MANIFEST = json.loads((settings.SEEDS_DIR / "pilots" / "synthetic" / "manifest.json").read_text())


@pytest.fixture
def samples(warehouse_sql) -> pd.DataFrame:
    """The analytic samples: every participant and outcome measured inside the follow-up window."""
    return warehouse_sql.execute("""
        select pilot_id, design, outcome, arm, treated, baseline_value, outcome_value, cluster_id, took_up
        from intermediate.int_pilot_participant_outcomes
        where is_due and outcome_value is not null""").df()


@pytest.fixture
def estimates(warehouse_sql) -> pd.DataFrame:
    return warehouse_sql.execute(
        "select * from intermediate.int_pilot_effect_estimates where subgroup_type = 'all'").df()


def reference_fit(frame: pd.DataFrame, y: pd.Series, columns: list[str]):
    """statsmodels OLS with the warehouse's covariance: cluster-robust when clusters are given."""
    model = sm.OLS(y.to_numpy(), sm.add_constant(frame[columns].to_numpy(), has_constant="add"))
    if frame["cluster_id"].notna().all():
        return model.fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(frame["cluster_id"])[0]})
    return model.fit(cov_type="HC2")


def test_ancova_and_its_robust_se_equal_statsmodels_on_every_pilot(samples, estimates):
    checked = set()
    for (pilot, outcome), rows in samples.groupby(["pilot_id", "outcome"]):
        ours = estimates[(estimates.pilot_id == pilot) & (estimates.outcome == outcome)].set_index("estimate_type")
        if rows.design.iloc[0] == "pre_post":
            change = rows.outcome_value - rows.baseline_value
            fit = sm.OLS(change.to_numpy(), np.ones((len(rows), 1))).fit()
            assert ours.loc["pre_post_change", "estimate"] == pytest.approx(fit.params[0], abs=1e-6)
            assert ours.loc["pre_post_change", "estimate_se"] == pytest.approx(fit.bse[0], abs=1e-6)
            checked.add((pilot, "pre_post_change"))
            continue
        plain = reference_fit(rows, rows.outcome_value, ["treated"])
        assert ours.loc["difference_in_means", "estimate"] == pytest.approx(plain.params[1], abs=1e-6)
        assert ours.loc["difference_in_means", "estimate_se"] == pytest.approx(plain.bse[1], abs=1e-6)
        with_baseline = rows[rows.baseline_value.notna()]
        if len(with_baseline):
            fit = reference_fit(with_baseline, with_baseline.outcome_value, ["treated", "baseline_value"])
            assert ours.loc["ancova", "estimate"] == pytest.approx(fit.params[1], abs=1e-6)
            assert ours.loc["ancova", "estimate_se"] == pytest.approx(fit.bse[1], abs=1e-6)
            gain = reference_fit(with_baseline, with_baseline.outcome_value - with_baseline.baseline_value, ["treated"])
            assert ours.loc["gain_score", "estimate"] == pytest.approx(gain.params[1], abs=1e-6)
            assert ours.loc["gain_score", "estimate_se"] == pytest.approx(gain.bse[1], abs=1e-6)
            checked.add((pilot, "ancova"))
    assert set(samples.pilot_id) == {p["pilot_id"] for p in MANIFEST["pilots"]}
    assert len(checked) == len(MANIFEST["pilots"]) - 1  # all but Racine, which has no baseline
    assert any(e["se_type"] == "cluster" for _, e in estimates.iterrows()), "no bundled pilot is clustered"


def ntile(count: int, buckets: int) -> np.ndarray:
    """SQL's ntile: the first count % buckets groups hold one row more."""
    sizes = [count // buckets + (1 if i < count % buckets else 0) for i in range(buckets)]
    return np.repeat(np.arange(1, buckets + 1), sizes)


def test_home_tract_opportunity_subgroups_equal_statsmodels_on_quintiles_recomputed(warehouse_sql):
    """Whom a pilot helps: each participant's home tract placed in its city's quintiles on the
    Atlas outcome, recomputed here from the tract estimates, then ANCOVA per quintile."""
    tracts = warehouse_sql.execute("""
        select city_geoid, tract_geoid, estimate from marts.tract_opportunity
        where outcome = 'income_rank_p25' and race = 'pooled' and gender = 'pooled' and estimate is not null
        order by city_geoid, estimate, tract_geoid""").df()
    tracts["quintile"] = np.concatenate([ntile(len(group), 5) for _, group in tracts.groupby("city_geoid", sort=True)])
    people = warehouse_sql.execute("""
        select pilot_id, city_geoid, home_tract_geoid as tract_geoid, treated, baseline_value, outcome_value, cluster_id
        from intermediate.int_pilot_participant_outcomes
        where is_main_outcome and is_due and outcome_value is not null and baseline_value is not null
          and design <> 'pre_post'""").df()
    people = people.merge(tracts[["city_geoid", "tract_geoid", "quintile"]], on=["city_geoid", "tract_geoid"])
    ours = warehouse_sql.execute("""
        select pilot_id, subgroup, count_treatment, count_comparison, estimate, estimate_se
        from intermediate.int_pilot_effect_estimates e
        where subgroup_type = 'home_opportunity_quintile' and estimate_type = 'ancova'
          and outcome = (select main_outcome from staging.stg_pilots__programs p where p.pilot_id = e.pilot_id)
        """).df().set_index(["pilot_id", "subgroup"])
    checked = 0
    for (pilot, quintile), rows in people.groupby(["pilot_id", "quintile"]):
        row = ours.loc[(pilot, f"q{quintile}")]
        assert (row.count_treatment, row.count_comparison) == ((rows.treated == 1).sum(), (rows.treated == 0).sum())
        fit = reference_fit(rows, rows.outcome_value, ["treated", "baseline_value"])
        assert row.estimate == pytest.approx(fit.params[1], abs=1e-6)
        assert row.estimate_se == pytest.approx(fit.bse[1], abs=1e-6)
        checked += 1
    assert checked == 5 * (len(MANIFEST["pilots"]) - 2)  # all but Racine (no baseline) and Lansing (pre-post)


def test_ratings_are_those_the_synthetic_manifest_expects(warehouse_sql):
    ratings = dict(warehouse_sql.execute("select pilot_id, evidence_rating from marts.what_works").fetchall())
    assert ratings == {p["pilot_id"]: p["expected_rating"] for p in MANIFEST["pilots"]}


def test_each_flaw_of_the_practice_data_is_caught(warehouse_sql):
    rows = warehouse_sql.execute("""
        select pilot_id, evidence_rating, is_low_attrition, attrition_differential, baseline_effect_size,
               baseline_equivalence, effect_direction, mde, rating_reason
        from marts.what_works""").df().set_index("pilot_id")
    # Attrition that depends on the outcome, in a randomised pilot: high differential attrition.
    detroit = rows.loc["detroit_housing"]
    assert not detroit.is_low_attrition and detroit.attrition_differential > 0.06
    assert detroit.evidence_rating != "meets_without_reservations"
    assert "lost too many participants" in detroit.rating_reason
    # Strong selection into a matched comparison: more than 0.25 SD apart at baseline.
    orleans = rows.loc["new_orleans_career_readiness"]
    assert orleans.baseline_effect_size > 0.25 and orleans.baseline_equivalence == "not_satisfied"
    assert orleans.evidence_rating == "does_not_meet"
    # Mild selection: equivalent once the estimate adjusts for the baseline.
    dayton = rows.loc["dayton_early_childhood"]
    assert 0.05 < dayton.baseline_effect_size <= 0.25 and dayton.evidence_rating == "meets_with_reservations"
    # No baseline at all: equivalence cannot be shown.
    assert rows.loc["racine_education", "baseline_equivalence"] == "not_established"
    # A null result says what the pilot could have detected.
    tulsa = rows.loc["tulsa_career_education"]
    assert tulsa.effect_direction == "no_detectable_effect"
    assert f"{round(tulsa.mde, 3)}" in tulsa.rating_reason


def test_attrition_and_baseline_equivalence_recomputed_from_participants(warehouse_sql):
    due = warehouse_sql.execute("""
        select p.pilot_id, p.arm, p.baseline_value, p.outcome_value, d.outcome_type
        from intermediate.int_pilot_participant_outcomes p
        join staging.stg_pilots__outcome_definitions d using (pilot_id, outcome)
        where p.is_main_outcome and p.is_due and p.design <> 'pre_post'""").df()
    ours = warehouse_sql.execute("select * from marts.what_works").df().set_index("pilot_id")
    for pilot, rows in due.groupby("pilot_id"):
        analysed = rows.outcome_value.notna() & (rows.baseline_value.notna() | rows.baseline_value.isna().all())
        kept = rows[analysed]
        lost = {arm: 1 - analysed[rows.arm == arm].mean() for arm in ("treatment", "comparison")}
        assert ours.loc[pilot, "attrition_overall"] == pytest.approx(1 - analysed.mean(), abs=1e-9)
        assert ours.loc[pilot, "attrition_differential"] == pytest.approx(abs(lost["treatment"] - lost["comparison"]), abs=1e-9)
        if kept.baseline_value.isna().all():
            continue
        t, c = (kept[kept.arm == arm].baseline_value for arm in ("treatment", "comparison"))
        if rows.outcome_type.iloc[0] == "binary":
            logit = lambda p: np.log(p / (1 - p))  # noqa: E731
            expected = (logit(t.mean()) - logit(c.mean())) / 1.65
        else:
            pooled = np.sqrt(((len(t) - 1) * t.var() + (len(c) - 1) * c.var()) / (len(t) + len(c) - 2))
            expected = (1 - 3 / (4 * (len(t) + len(c)) - 9)) * (t.mean() - c.mean()) / pooled
        assert ours.loc[pilot, "baseline_effect_size"] == pytest.approx(expected, abs=1e-9)


def test_q_values_equal_benjamini_hochberg(warehouse_sql):
    rows = warehouse_sql.execute("""
        select pilot_id, q_value, coalesce(adjusted_difference_p_value, difference_p_value) as p_value
        from marts.pilot_impact
        where estimate_method is not null and not (is_main_outcome and subgroup_type = 'all')
            and coalesce(adjusted_difference_p_value, difference_p_value) is not null""").df()
    assert len(rows) > 100
    for _, family in rows.groupby("pilot_id"):
        expected = multipletests(family.p_value, method="fdr_bh")[1]
        assert np.allclose(family.q_value, expected, atol=1e-12)


def test_subgroup_test_p_values_follow_the_chi_square(warehouse_sql):
    tests = warehouse_sql.execute("""
        select distinct pilot_id, outcome, subgroup_type, subgroup_difference_chi2, subgroup_difference_df,
               subgroup_difference_p_value
        from marts.pilot_impact where subgroup_difference_chi2 is not null""").df()
    assert len(tests) > 20
    exact = stats.chi2.sf(tests.subgroup_difference_chi2, tests.subgroup_difference_df)
    assert np.abs(tests.subgroup_difference_p_value - exact).max() < 0.006  # Wilson-Hilferty above 2 df
