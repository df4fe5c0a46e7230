"""The pilot impact statistics (`int_pilot_effect_estimates`, run as SQL in DuckDB) agree with
scipy on generated samples: the difference and its HC2 standard error (which is Welch's) to
rounding, on n - 2 degrees of freedom, and the p-value and 95% interval within the stated
accuracy of the model's t approximation (p within 5e-4; critical value at most 0.005 above the
exact one, never below).

Arms have at least 11 measured participants, as suppression guarantees for every published
estimate; values are on a cents grid, as outcomes are recorded (dollars, scores, 0/1).
"""

import math

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from dbt_sql import model_sql

ESTIMATES = model_sql("intermediate/pilots/int_pilot_effect_estimates.sql")
P_VALUE_ACCURACY = 5e-4
CRITICAL_VALUE_ACCURACY = 0.005

continuous = st.integers(-100_000, 100_000).map(lambda cents: cents / 100)
binary = st.sampled_from([0.0, 1.0])


def arm(values, size=st.integers(11, 60)):
    return size.flatmap(lambda n: st.lists(st.tuples(values, continuous), min_size=n, max_size=n))


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    con.execute("set threads = 1")  # a hundred rows: threads only add overhead
    con.execute("create table int_pilot_versions as select 'p' as pilot_id, 'v1' as pilot_version")
    yield con
    con.close()


def estimates(con, design: str, treatment: list[tuple], comparison: list[tuple]) -> dict[str, tuple]:
    """The model's `all`-subgroup rows by estimate type, from (outcome, baseline) pairs per arm."""
    pairs = [("treatment", v, b) for v, b in treatment] + [("comparison", v, b) for v, b in comparison]
    con.execute("create or replace table int_pilot_participant_outcomes as select 'p' as pilot_id, ? as design, "
                "'o' as outcome, arm, cast(arm = 'treatment' as double) as treated, 'black' as race_ethnicity, "
                "'female' as gender, '25_34' as age_band, 1 as home_opportunity_quintile, null::varchar as cluster_id, "
                "true as is_due, 0.0::double as took_up, baseline_value, outcome_value "
                "from (select unnest(?::varchar[]) as arm, "
                "unnest(?::double[]) as baseline_value, unnest(?::double[]) as outcome_value)",
                [design, [a for a, _, _ in pairs], [b for _, _, b in pairs], [v for _, v, _ in pairs]])
    found = con.execute(f"select estimate_type, estimate, estimate_se, estimate_df, estimate_lb, estimate_ub, p_value "
                        f"from ({ESTIMATES}) where subgroup_type = 'all'").fetchall()
    return {row[0]: row[1:] for row in found}


def assert_matches_scipy(row: tuple, difference: float, se: float, df: int) -> None:
    estimate, estimate_se, found_df, lb, ub, p_value = row
    if se == 0:  # every value equal in both arms: no test statistic, no interval
        assert not estimate_se and (lb, ub, p_value) == (None, None, None)
        return
    assert estimate == pytest.approx(difference, rel=1e-9, abs=1e-9), "difference"
    assert estimate_se == pytest.approx(se, rel=1e-9), "standard error"
    assert found_df == df, "degrees of freedom"
    exact_p = 2 * stats.t.sf(abs(difference / se), df)
    assert abs(p_value - exact_p) <= P_VALUE_ACCURACY, f"p-value {p_value} against scipy's {exact_p}"
    critical = (ub - estimate) / estimate_se
    exact = stats.t.ppf(0.975, df)
    assert estimate - lb == pytest.approx(ub - estimate, rel=1e-9), "the interval is symmetric"
    assert 0 <= critical - exact <= CRITICAL_VALUE_ACCURACY, f"critical value {critical} against exact {exact}"


def welch_se(a: list[float], b: list[float]) -> float:
    return math.sqrt(stats.tvar(a) / len(a) + stats.tvar(b) / len(b)) if len(set(a)) > 1 or len(set(b)) > 1 else 0.0


@settings(max_examples=100)
@given(st.sampled_from([continuous, binary]).flatmap(lambda values: st.tuples(arm(values), arm(values))))
def test_difference_in_means_and_gain_score_match_scipy(con, arms):
    treatment, comparison = arms
    found = estimates(con, "randomised", treatment, comparison)
    for estimate_type, values in (("difference_in_means", lambda pairs: [v for v, _ in pairs]),
                                  ("gain_score", lambda pairs: [v - b for v, b in pairs])):
        t, c = values(treatment), values(comparison)
        assert_matches_scipy(found[estimate_type], sum(t) / len(t) - sum(c) / len(c), welch_se(t, c), len(t) + len(c) - 2)


@settings(max_examples=50)
@given(st.sampled_from([continuous, binary]).flatmap(arm))
def test_pre_post_change_matches_scipys_paired_t_test(con, participants):
    found = estimates(con, "pre_post", participants, [])
    changes = [v - b for v, b in participants]
    result = stats.ttest_rel([v for v, _ in participants], [b for _, b in participants])
    mean = sum(changes) / len(changes)
    if len(set(changes)) == 1:  # everyone changed alike: the change is known exactly, no p-value
        assert math.isnan(result.pvalue) and found["pre_post_change"] == (mean, 0, len(changes) - 1, None, None, None)
        return
    assert_matches_scipy(found["pre_post_change"], mean, stats.tstd(changes) / math.sqrt(len(changes)), len(changes) - 1)
