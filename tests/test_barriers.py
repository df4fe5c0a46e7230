"""The barrier marts on the real build, against independent computations: the raw files,
pandas and numpy, and statsmodels as the reference for every regression (OLS/WLS with
cov_type="HC3", to 1e-6)."""

import math
import re

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.outliers_influence import variance_inflation_factor

from dbt_sql import render
from orchestration import settings

PLACE_CONDITIONS = ["share_economic_connectedness", "share_poverty_exposure", "share_affordable_available_50_ami",
                    "share_employed", "share_hs_degree", "rate_crime_violent", "share_digital_access",
                    "index_air_hazard", "share_transit_commuter", "share_transportation_cost"]
COUNTY_CONDITIONS = ["share_economic_connectedness", "share_poverty", "share_unemployed", "share_assisted_income",
                     "share_hs_degree", "share_uninsured", "share_vacant_housing"]
TRACT_MODELLED = {"2011-2015": ["share_poverty", "share_assisted_income", "share_hs_degree", "share_uninsured",
                                "share_vacant_housing", "pctl_income_50"]}
TRACT_MODELLED["2014-2018"] = TRACT_MODELLED["2011-2015"][:1] + ["share_unemployed"] + TRACT_MODELLED["2011-2015"][1:]
NINE_CITIES = 9
DETROIT = "2622000"


def frame(con, query, params=()):
    return con.execute(query, list(params)).df()


def zscores(values: pd.DataFrame) -> pd.DataFrame:
    return (values - values.mean()) / values.std(ddof=1)


def t975(df: int) -> float:
    return stats.t.ppf(0.975, df)


def mart_model(con, query, params=()) -> pd.DataFrame:
    return frame(con, query, params).set_index("term")


def assert_matches_statsmodels(mart: pd.DataFrame, fit, terms: list[str]):
    expected = pd.DataFrame({"coef_std": fit.params, "coef_std_se": fit.bse})
    expected.index = ["intercept", *terms]
    for term in expected.index:
        assert mart.loc[term, "coef_std"] == pytest.approx(expected.loc[term, "coef_std"], abs=1e-6), term
        assert mart.loc[term, "coef_std_se"] == pytest.approx(expected.loc[term, "coef_std_se"], abs=1e-6), term
        half = t975(int(fit.df_resid)) * expected.loc[term, "coef_std_se"]
        assert mart.loc[term, "coef_std_lb"] == pytest.approx(expected.loc[term, "coef_std"] - half, abs=1e-6)


def test_every_place_with_ten_tracts_has_a_row_for_every_condition(warehouse_sql):
    eligible = {row[0] for row in warehouse_sql.execute("""
        select x.place_geoid from staging.stg_geography__tract_place_2010 x
        join staging.stg_atlas__tract_household_income h using (tract_geoid)
        where x.place_geoid is not null and h.household_income_at_35_p25 < 1000000
        group by x.place_geoid having count(*) >= 10
    """).fetchall()}
    rows = frame(warehouse_sql, """
        select city_geoid, acs_vintage, count(distinct condition) as conditions
        from marts.city_neighbourhood_conditions where outcome = 'household_income_at_35_p25'
        group by all
    """)
    assert set(rows.city_geoid) == eligible and len(eligible) > 800
    conditions = rows.groupby("acs_vintage").conditions.agg(["min", "max"])
    assert conditions.loc["2011-2015"].tolist() == [7, 7] and conditions.loc["2014-2018"].tolist() == [9, 9]


def test_detroit_poverty_r_reproduces_from_the_raw_files_with_the_documented_query(warehouse_sql, monkeypatch):
    code = re.search(r"```python\n(.*?)```", (settings.REPO_ROOT / "docs" / "barriers.md").read_text(), re.S).group(1)
    monkeypatch.chdir(settings.REPO_ROOT)
    reader = {}
    exec(code, reader)  # the snippet a reader runs on the bundled raw files
    r, r_lb, r_ub, count_tracts = warehouse_sql.execute("""
        select r, r_lb, r_ub, count_tracts from marts.city_neighbourhood_conditions
        where city_geoid = ? and acs_vintage = '2014-2018' and outcome = 'household_income_at_35_p25'
          and condition = 'share_poverty'
    """, [DETROIT]).fetchone()
    assert (r, count_tracts) == (pytest.approx(reader["r"], abs=5e-11), reader["n"])  # published to 10 decimals
    half = 1.96 / math.sqrt(count_tracts - 3)
    assert (r_lb, r_ub) == pytest.approx((math.tanh(math.atanh(r) - half), math.tanh(math.atanh(r) + half)))


@pytest.mark.parametrize("vintage", ["2011-2015", "2014-2018"])
def test_within_city_model_matches_statsmodels_hc3_and_vif(warehouse_sql, vintage):
    terms = TRACT_MODELLED[vintage]
    tracts = frame(warehouse_sql, f"""
        select estimate, {", ".join(terms)} from intermediate.int_city_neighbourhood_tracts
        where city_geoid = ? and acs_vintage = ? and outcome = 'household_income_at_35_p25'
    """, [DETROIT, vintage]).dropna()
    data = zscores(tracts)
    exog = sm.add_constant(data[terms])
    fit = sm.OLS(data.estimate, exog).fit(cov_type="HC3")
    mart = mart_model(warehouse_sql, """
        select condition as term, coef_std, coef_std_se, coef_std_lb, vif, is_collinear, count_tracts_model
        from marts.city_neighbourhood_conditions
        where city_geoid = ? and acs_vintage = ? and outcome = 'household_income_at_35_p25' and coef_std is not null
    """, [DETROIT, vintage])
    assert sorted(mart.index) == sorted(terms) and set(mart.count_tracts_model) == {len(tracts)}
    for j, term in enumerate(terms, start=1):
        assert mart.loc[term, "coef_std"] == pytest.approx(fit.params.iloc[j], abs=1e-6)
        assert mart.loc[term, "coef_std_se"] == pytest.approx(fit.bse.iloc[j], abs=1e-6)
        assert mart.loc[term, "coef_std_lb"] == pytest.approx(fit.params.iloc[j] - t975(int(fit.df_resid)) * fit.bse.iloc[j], abs=1e-6)
        vif = variance_inflation_factor(exog.values, j)
        assert mart.loc[term, "vif"] == pytest.approx(vif, abs=1e-6) and mart.loc[term, "is_collinear"] == (vif > 5)


def test_across_place_model_matches_statsmodels_hc3(warehouse_sql):
    places = frame(warehouse_sql, f"select observed, {', '.join(PLACE_CONDITIONS)} from intermediate.int_place_conditions").dropna()
    data = zscores(places)
    fit = sm.OLS(data.observed, sm.add_constant(data[PLACE_CONDITIONS])).fit(cov_type="HC3")
    mart = mart_model(warehouse_sql, "select * from marts.place_mobility_conditions where model = 'places'")
    assert_matches_statsmodels(mart, fit, PLACE_CONDITIONS)
    assert set(mart.count_obs) == {len(places)} and len(places) > 400
    assert mart.r_squared.iloc[0] == pytest.approx(fit.rsquared, abs=1e-9)
    # Economic connectedness is the strongest correlate of mobility across places (Social Capital I).
    assert mart.r.abs().idxmax() == "share_economic_connectedness"
    assert mart.loc["share_economic_connectedness", "r"] == pytest.approx(places.observed.corr(places.share_economic_connectedness))


def test_county_model_weights_by_the_published_standard_errors(warehouse_sql):
    published = frame(warehouse_sql, """
        select state || county as county_geoid, cast(kfr_pooled_pooled_p25_se as double) as published_se
        from raw.atlas_county_outcomes
    """)
    counties = frame(warehouse_sql, f"""
        select county_geoid, observed, weight, {', '.join(COUNTY_CONDITIONS)}
        from intermediate.int_county_conditions where is_complete
    """).merge(published, on="county_geoid")
    assert counties.weight.to_numpy() == pytest.approx(1 / counties.published_se.to_numpy() ** 2, rel=1e-12)
    data = zscores(counties[["observed", *COUNTY_CONDITIONS]])
    exog = sm.add_constant(data[COUNTY_CONDITIONS])
    fit = sm.WLS(data.observed, exog, weights=1 / counties.published_se ** 2).fit(cov_type="HC3")
    mart = mart_model(warehouse_sql, "select * from marts.place_mobility_conditions where model = 'counties'")
    assert_matches_statsmodels(mart, fit, COUNTY_CONDITIONS)
    assert set(mart.count_obs) == {len(counties)} and len(counties) > 3000
    assert mart.r_squared.iloc[0] == pytest.approx(fit.rsquared, abs=1e-9)
    # The weights matter: unweighted least squares gives other coefficients.
    unweighted = sm.OLS(data.observed, exog).fit(cov_type="HC3")
    assert np.max(np.abs(unweighted.params.to_numpy() - fit.params.to_numpy())) > 1e-3


def test_expected_mobility_interval_matches_statsmodels_prediction(warehouse_sql):
    places = frame(warehouse_sql, f"""
        select city_geoid, observed, {', '.join(PLACE_CONDITIONS)} from intermediate.int_place_conditions
    """).dropna().set_index("city_geoid")
    exog = sm.add_constant(zscores(places[PLACE_CONDITIONS]))
    fit = sm.OLS(places.observed, exog).fit()
    prediction = fit.get_prediction(exog).summary_frame(alpha=0.05)  # obs_ci: Student's t, new observation
    mart = frame(warehouse_sql, "select * from marts.city_expected_mobility").set_index("city_geoid").loc[places.index]
    assert mart.predicted.to_numpy() == pytest.approx(prediction["mean"].to_numpy(), abs=1e-6)
    assert mart.prediction_lb.to_numpy() == pytest.approx(prediction.obs_ci_lower.to_numpy(), abs=1e-6)
    assert mart.prediction_ub.to_numpy() == pytest.approx(prediction.obs_ci_upper.to_numpy(), abs=1e-6)
    verdict = np.where(mart.observed > mart.prediction_ub, "better_than_predicted",
                       np.where(mart.observed < mart.prediction_lb, "worse_than_predicted", "as_predicted"))
    assert (mart.verdict.to_numpy() == verdict).all()
    nine = warehouse_sql.execute(
        "select count(*) from marts.city_expected_mobility join marts.dim_city using (city_geoid)").fetchone()[0]
    assert nine == NINE_CITIES


def test_each_city_has_its_ten_nearest_places_on_standardised_conditions(warehouse_sql):
    places = frame(warehouse_sql, f"""
        select city_geoid, {', '.join(PLACE_CONDITIONS)}, observed from intermediate.int_place_conditions
    """).dropna().set_index("city_geoid")
    z = zscores(places[PLACE_CONDITIONS])
    similar = frame(warehouse_sql, """
        select s.* from marts.city_similar_places s join marts.dim_city using (city_geoid)
        order by city_geoid, similar_rank
    """)
    assert similar.groupby("city_geoid").similar_rank.apply(list).tolist() == [list(range(1, 11))] * NINE_CITIES
    for city, rows in similar.groupby("city_geoid"):
        distances = np.sqrt(((z.drop(index=city) - z.loc[city]) ** 2).sum(axis=1)).sort_values(kind="stable")
        assert rows.similar_geoid.tolist() == distances.index[:10].tolist()
        assert rows.distance.to_numpy() == pytest.approx(distances.to_numpy()[:10], abs=1e-9)
        assert rows.similar_observed.to_numpy() == pytest.approx(places.observed.loc[rows.similar_geoid].to_numpy())


def test_peer_comparison_names_both_peer_sets(warehouse_sql):
    similar_peers, count_similar = warehouse_sql.execute("""
        select c.count_peers, (select count(*) from marts.city_similar_places s
                               join staging.stg_urban__employment e on e.place_geoid = s.similar_geoid
                               where s.city_geoid = c.city_geoid and e.year = 2023 and e.share_employed is not null)
        from marts.city_peer_comparison c
        where c.city_geoid = ? and c.metric = 'share_employed' and c.year = 2023 and c.subgroup = 'All'
          and c.peer_set = 'similar_conditions'
    """, [DETROIT]).fetchone()
    assert similar_peers == count_similar == 10


def ntile(count: int, buckets: int = 5) -> list[int]:
    """SQL's ntile: the first count % buckets buckets hold one row more."""
    size, extra = divmod(count, buckets)
    return [b + 1 for b in range(buckets) for _ in range(size + (1 if b < extra else 0))]


def test_priority_tracts_are_lowest_opportunity_and_most_deprived(warehouse_sql):
    tracts = frame(warehouse_sql, """
        select tract_geoid, estimate, deprivation_index, quintile_in_city, deprivation_quintile_in_city,
               is_priority, count_children_tract, precision_note
        from marts.tract_opportunity where city_geoid = ? and outcome = 'household_income_at_35_p25'
    """, [DETROIT])
    ranked = tracts.dropna(subset=["deprivation_index"]).sort_values(["deprivation_index", "tract_geoid"])
    assert ranked.deprivation_quintile_in_city.tolist() == ntile(len(ranked))
    expected = (tracts.quintile_in_city == 1) & (tracts.deprivation_quintile_in_city == 5)
    assert (tracts.is_priority == expected.fillna(False)).all() and tracts.is_priority.sum() > 5
    with_children = tracts.dropna(subset=["count_children_tract"]).iloc[0]
    assert with_children.precision_note == (
        f"no standard error published; the estimates of the tract rest on {int(with_children.count_children_tract)} children")
    places = warehouse_sql.execute("select count(distinct city_geoid) from marts.tract_opportunity").fetchone()[0]
    assert places > 5000  # every place, not only the registry cities


def test_t_quantile_matches_scipy():
    degrees = [1, 2, 3, 5, 10, 29, 30, 31, 40, 60, 100, 433, 3007, 100000]
    values = render("select " + ", ".join(f"{{{{ t_quantile_975({d}) }}}}" for d in degrees))
    import duckdb

    got = duckdb.connect().execute(values).fetchone()
    for df, value in zip(degrees, got):
        assert value == pytest.approx(t975(df), abs=5e-5 if df <= 30 else 1e-6), df
