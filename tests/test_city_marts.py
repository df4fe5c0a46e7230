"""City mobility marts: facts a reader can check on the real build. The aggregation rules
(weighted means, propagated errors, quality grades, suppression, percentiles) are checked on
hand-computed fixtures by the dbt unit tests (dbt_project/models/*/_*__unit_tests.yml)."""

import math

import pytest

from orchestration.pilots.registry import city_counties


def test_every_registry_city_has_household_income_at_35(warehouse_sql):
    rows = warehouse_sql.execute("""
        select d.city_name, m.estimate, m.suppressed
        from marts.dim_city d
        left join marts.city_mobility m on m.city_geoid = d.city_geoid and m.outcome = 'household_income_at_35_p25'
    """).fetchall()
    assert len(rows) == len(city_counties())
    assert all(estimate is not None and 15000 < estimate < 60000 and not suppressed for _, estimate, suppressed in rows)


def test_detroit_has_high_200s_tracts_and_matches_a_recomputed_mean(warehouse_sql):
    count_tracts, count_tracts_city, estimate = warehouse_sql.execute("""
        select count_tracts, count_tracts_city, estimate from marts.city_mobility
        where city_geoid = '2622000' and outcome = 'household_income_at_35_p25'
    """).fetchone()
    assert 270 <= count_tracts <= count_tracts_city < 300
    recomputed = warehouse_sql.execute("""
        select sum(h.household_income_at_35_p25 * c.population) / sum(c.population)
        from staging.stg_geography__tract_place_2010 x
        join staging.stg_atlas__tract_household_income h using (tract_geoid)
        join staging.stg_geography__tract_centers_2010 c using (tract_geoid)
        where x.place_geoid = '2622000' and h.household_income_at_35_p25 is not null
    """).fetchone()[0]
    assert estimate == pytest.approx(recomputed)


def test_new_orleans_covers_all_of_orleans_parish(warehouse_sql):
    missing = warehouse_sql.execute("""
        select tract_geoid from staging.stg_geography__tract_centers_2010 where county_geoid = '22071'
        except select tract_geoid from marts.tract_opportunity where city_geoid = '2255000'
    """).fetchall()
    parish_tracts = warehouse_sql.execute(
        "select count(*) from staging.stg_geography__tract_centers_2010 where county_geoid = '22071'").fetchone()[0]
    assert missing == [] and parish_tracts > 150


def test_tract_opportunity_ranks_and_flags(warehouse_sql):
    top, bottom, ranked = warehouse_sql.execute("""
        select max(estimate) filter (where rank_in_city = 1), min(estimate) filter (where rank_in_city = count_ranked_tracts),
               count(*) filter (where is_highest_opportunity)
        from marts.tract_opportunity where city_geoid = '3915000' and outcome = 'household_income_at_35_p25'
    """).fetchone()
    extremes = warehouse_sql.execute("""
        select max(h.household_income_at_35_p25), min(h.household_income_at_35_p25)
        from staging.stg_geography__tract_place_2010 x join staging.stg_atlas__tract_household_income h using (tract_geoid)
        where x.place_geoid = '3915000'
    """).fetchone()
    assert (top, bottom) == extremes and ranked == 107 // 5  # Cincinnati: 107 tracts, top fifth 21


def test_county_official_estimates_keep_their_se(warehouse_sql):
    estimate, se, lb = warehouse_sql.execute("""
        select estimate, se, lb from marts.county_mobility
        where county_geoid = '26163' and outcome = 'household_income_rank_p25' and race = 'pooled' and gender = 'pooled'
    """).fetchone()
    published = warehouse_sql.execute(
        "select kfr_pooled_pooled_p25, kfr_pooled_pooled_p25_se from staging.stg_atlas__county_outcomes where county_geoid = '26163'").fetchone()
    assert (estimate, se) == published and lb == pytest.approx(published[0] - 1.96 * published[1])


def test_census_proportion_moe_follows_the_acs_handbook(warehouse_sql):
    tracts = warehouse_sql.execute("""
        select h.fraction_poverty, h.fraction_poverty_moe, h.n_pop, h.n_pop_moe
        from staging.stg_census__hamilton_acs_measures h
        join intermediate.int_tract_city t on t.tract_geoid = h.tract_geoid and t.tract_vintage = 2010
        where t.city_geoid = '3915000' and h.year = 2019
    """).fetchall()
    x = sum(f * y for f, _, y, _ in tracts)
    moe_x = math.sqrt(sum(y**2 * mf**2 + f**2 * my**2 for f, mf, y, my in tracts))
    y = sum(t[2] for t in tracts)
    moe_y = math.sqrt(sum(t[3] ** 2 for t in tracts))
    p = x / y
    radicand = moe_x**2 - p**2 * moe_y**2
    moe = math.sqrt(radicand if radicand >= 0 else moe_x**2 + p**2 * moe_y**2) / y
    value, moe_90, lb, count_tracts = warehouse_sql.execute("""
        select value, moe_90, lb, count_tracts from marts.city_indicators
        where city_geoid = '3915000' and year = 2019 and metric = 'share_poverty'
    """).fetchone()
    assert count_tracts == len(tracts) == 107
    assert (value, moe_90, lb) == pytest.approx((p, moe, p - 1.96 * moe / 1.645))


def test_tulsa_decennial_population_sums_its_tracts(warehouse_sql):
    rows = dict(warehouse_sql.execute("""
        select year, value from marts.city_indicators where city_geoid = '4075000' and metric = 'count_population_decennial'
    """).fetchall())
    assert rows == {2010: 389561, 2020: 414609}  # the Tulsa-area P1 tables summed over the city's tracts


def test_peer_set_is_half_to_twice_the_city_population(warehouse_sql):
    count_peers, population = warehouse_sql.execute("""
        select count_peers, population from marts.city_peer_comparison
        where city_geoid = '2622000' and metric = 'share_employed' and year = 2023 and subgroup = 'All'
          and peer_set = 'population'
    """).fetchone()
    expected = warehouse_sql.execute("""
        select count(*) from staging.stg_urban__employment e join staging.stg_census__place_population p using (place_geoid, year)
        where e.year = 2023 and e.share_employed is not null and e.place_geoid <> '2622000'
          and p.population between 0.5 * ? and 2 * ?
    """, [population, population]).fetchone()[0]
    assert count_peers == expected > 10


def test_share_intervals_stay_within_0_1(warehouse_sql):
    """Every share's interval stays within 0-1, as Urban clamps them: wide columns named
    share_*_lb / share_*_ub, and the lb / ub of long marts' rows whose metric is a share. A share
    estimate published outside 0-1 (a few official county incarceration estimates) keeps its
    interval, so that it still holds the estimate."""
    columns: dict[str, set[str]] = {}
    for table, column in warehouse_sql.execute(
            "select table_name, column_name from duckdb_columns() where schema_name = 'marts'").fetchall():
        columns.setdefault(table, set()).add(column)
    outside, checked = {}, set()
    for table, names in columns.items():
        for name in names:
            if name.startswith("share_") and name.endswith(("_lb", "_ub")):
                checked.add(f"{table}.{name}")
                outside[f"{table}.{name}"] = warehouse_sql.execute(
                    f'select count(*) from marts.{table} where "{name}" < 0 or "{name}" > 1').fetchone()[0]
        metric = next((c for c in ("metric", "outcome", "measure") if c in names), None)
        value = next((c for c in ("value", "estimate") if c in names), None)
        if {"lb", "ub"} <= names and metric and value:
            share = f"{metric} like 'share%'" + (" or unit like 'share%'" if "unit" in names else "")
            checked.add(table)
            outside[table] = warehouse_sql.execute(
                f"select count(*) from marts.{table} where ({share}) and {value} between 0 and 1 "
                "and (lb < 0 or ub > 1)").fetchone()[0]
    assert {"city_indicators", "city_mobility", "county_mobility", "city_cradle_to_career"} <= checked
    assert {name: count for name, count in outside.items() if count} == {}
