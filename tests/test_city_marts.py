"""City mobility marts: exact arithmetic on a hand-made fixture run through the real dbt
models, and facts a reader can check on the real build."""

import math
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration import settings


# Fixture geography (fake place codes in Ohio): place A has tracts A1-A4 with outcomes, A6
# with none and A7 whose household income is the Atlas export's top-code; place B has two
# tracts; places C and D have three each. A, C and D are places of 75k+.
A, B, C, D = "3999901", "3999902", "3999903", "3999904"
POPULATION = {"A1": 1000, "A2": 3000, "A3": 2000, "A4": 1500, "A6": 500, "A7": 100,
              "B1": 800, "B2": 900, "C1": 1000, "C2": 1000, "C3": 1000, "D1": 1000, "D2": 1000, "D3": 1000}
PLACE_OF = {name: {"A": A, "B": B, "C": C, "D": D}[name[0]] for name in POPULATION}
HOUSEHOLD_INCOME = {"A1": 20000, "A2": 30000, "A3": 40000, "A4": 25000, "A7": 1062314,
                    "B1": 30000, "B2": 32000, "C1": 10000, "C2": 10000, "C3": 10000,
                    "D1": 50000, "D2": 50000, "D3": 50000}
# kir (income rank 0-100) with kid counts: (pooled, n, white, n, black, n)
INCOME_RANK = {"A1": (35, 200, 45, 80, 30, 100), "A2": (40, 300, 50, 120, None, 5),
               "A3": (45, 500, 60, 0, 38, 10), "A4": (50, 40, 55, 50, None, 0)}
# Official long-file rows: (race, tract, estimate, se, count_children)
OFFICIAL_KFR = [
    ("pooled", "A1", 0.40, 0.02, 300), ("pooled", "A2", 0.50, 0.03, 100), ("pooled", "A3", 0.30, 0.01, 600),
    ("white", "A1", 0.50, 0.04, 100), ("white", "A2", 0.60, 0.04, 100), ("white", "A3", 0.55, 0.08, 50),
    ("black", "A1", 0.10, 0.05, 50), ("black", "A2", 0.20, 0.05, 50), ("black", "A3", 0.30, 0.10, 20),
    ("asian", "A1", 0.45, 0.05, 30), ("asian", "A2", 0.45, 0.05, 30), ("asian", "A3", 0.45, 0.05, 30),
    ("hisp", "A1", 0.05, 0.05, 100), ("hisp", "A2", 0.05, 0.05, 100), ("hisp", "A3", 0.05, 0.05, 100),
    ("hisp", "A4", 0.05, 0.05, 100),
]


def tract(name: str) -> str:
    return "39999" + {"A": "0", "B": "1", "C": "2", "D": "3"}[name[0]] + "000" + name[1] + "0"


def seed_raw_tables(con) -> None:
    con.execute("create schema raw")
    con.execute("""create table raw.geo_tract_place_2010 (STATE varchar, COUNTY varchar, TRACTID varchar,
        NHGISID varchar, PLACEID varchar, PLACE varchar, PLACE_TYPE varchar, TR_VINTAGE bigint, PL_VINTAGE bigint)""")
    con.execute("create table raw.geo_tract_place_2020 as select * from raw.geo_tract_place_2010")
    for name in POPULATION:
        row = ["OH", "Fixture County", tract(name), None, PLACE_OF[name][2:], f"Place {name[0]}", "city", 2010, 2021]
        con.execute("insert into raw.geo_tract_place_2010 values (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
    con.execute("insert into raw.geo_tract_place_2020 values ('OH', 'Fixture County', '39999000100', null, '99901', 'Place A', 'city', 2020, 2021)")
    con.execute("""create table raw.geo_tract_centers_2010 (GEOID varchar, STATEFP varchar, COUNTYFP varchar,
        TRACTCE varchar, POPULATION bigint, LATITUDE double, LONGITUDE double)""")
    con.execute("create table raw.geo_tract_centers_2020 as select * from raw.geo_tract_centers_2010")
    for name, population in POPULATION.items():
        con.execute("insert into raw.geo_tract_centers_2010 values (?, '39', '999', ?, ?, 39.1, -84.5)",
                    [tract(name), tract(name)[5:], population])
    con.execute("insert into raw.geo_tract_centers_2020 values ('39999000100', '39', '999', '000100', 4321, 39.1, -84.5)")
    con.execute('create table raw.atlas_tract_household_income (tract varchar, "Name" varchar, "Household_Income_at_Age_35_rP_gP_p25" bigint)')
    con.execute('create table raw.atlas_tract_top20_share (tract varchar, "Name" varchar, "Frac._in_Top_20%_Based_on_Household_Income_rP_gP_p25" double)')
    for name, income in HOUSEHOLD_INCOME.items():
        con.execute("insert into raw.atlas_tract_household_income values (?, ?, ?)", [tract(name), f"{name}, Place, OH", income])
        con.execute("insert into raw.atlas_tract_top20_share values (?, ?, 0.1)", [tract(name), f"{name}, Place, OH"])
    con.execute("""create table raw.oi_tract_race_income_rank (state varchar, county varchar, tract varchar,
        kir_black_p25 double, kir_pooled_p25 double, kir_white_p25 double, kid_pooled_n bigint, kid_white_n bigint, kid_black_n bigint)""")
    for name, (pooled, n_pooled, white, n_white, black, n_black) in INCOME_RANK.items():
        geoid = tract(name)
        con.execute("insert into raw.oi_tract_race_income_rank values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [geoid[:2], geoid[2:5], geoid[5:], black, pooled, white, n_pooled, n_white, n_black])
    con.execute("""create table raw.atlas_tract_outcomes (tract_geoid varchar, outcome varchar, race varchar,
        gender varchar, parent_pctile integer, estimate double, se double, count_children double, source_file varchar)""")
    for race, name, estimate, se, count in OFFICIAL_KFR:
        con.execute("insert into raw.atlas_tract_outcomes values (?, 'kfr', ?, 'pooled', 25, ?, ?, ?, 'fixture.csv')",
                    [tract(name), race, estimate, se, count])
    con.execute("""create table raw.census_place_population (year bigint, state varchar, place varchar,
        state_name varchar, place_name varchar, population bigint)""")
    for place in (A, C, D):
        con.execute("insert into raw.census_place_population values (2023, '39', ?, 'Ohio', 'Place city', 80000)", [place[2:]])
    con.execute("""create table raw.geo_county_place_2022 (countyfip varchar, state varchar, place varchar, stab varchar,
        "CountyName" varchar, "PlaceName" varchar, population bigint, afact2 double, afact double,
        population_vintage bigint, crosswalk_period varchar)""")
    con.execute("insert into raw.geo_county_place_2022 values ('39999', '39', '99901', 'OH', 'Fixture OH', 'Place A', 1, 1, 1, 2020, '2022')")
    con.execute("""create table raw.city_registry (city_geoid varchar, city_name varchar, state_abbr varchar,
        state_fips varchar, county_geoids varchar, pilot_topic varchar, pilot_name varchar)""")
    con.execute(f"insert into raw.city_registry values ('{A}', 'Place A', 'OH', '39', '39999', 'workforce', 'Fixture pilot')")


@pytest.fixture(scope="module")
def fixture_marts(tmp_path_factory) -> Path:
    """A throwaway warehouse seeded with the fixture raw tables, built by the real dbt models."""
    home = tmp_path_factory.mktemp("marts-fixture")
    with duckdb.connect(str(home / "build.duckdb")) as con:
        seed_raw_tables(con)
    dbt = Path(sys.executable).parent / "dbt"
    project = str(settings.DBT_PROJECT_DIR)
    result = subprocess.run(
        [str(dbt), "build", "--select", "+city_mobility_gaps", "--indirect-selection", "cautious", "--project-dir", project, "--profiles-dir", project,
         "--target-path", str(home / "dbt_target")],
        env={**os.environ, "MOBILITY_HOME": str(home)}, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    return home / "build.duckdb"


def mobility_row(db: Path, place: str, outcome: str, race: str) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        cursor = con.execute(
            "select * from marts.city_mobility where city_geoid = ? and outcome = ? and race = ?", [place, outcome, race])
        columns = [c[0] for c in cursor.description]
        rows = cursor.fetchall()
    assert len(rows) == 1
    return dict(zip(columns, rows[0]))


def test_population_weighted_mean_without_se_leaves_se_unknown(fixture_marts):
    row = mobility_row(fixture_marts, A, "household_income_at_35_p25", "pooled")
    # A7's top-coded $1,062,314 is kept out; A6 has no estimate.
    expected = (20000 * 1000 + 30000 * 3000 + 40000 * 2000 + 25000 * 1500) / (1000 + 3000 + 2000 + 1500)
    assert row["estimate"] == pytest.approx(expected)  # 30,333.33
    assert row["se"] is None and row["lb"] is None and row["ub"] is None
    assert row["weight_basis"] == "tract_population_2010" and row["count_children"] is None
    assert row["population_weight"] == 7500 and row["count_tracts"] == 4 and row["count_tracts_city"] == 6
    assert row["coverage_share"] == pytest.approx(7500 / 8100)
    assert row["quality"] == 1 and row["quality_basis"] == "coverage" and row["suppressed"] is False


def test_kid_count_weights_and_coverage_grade(fixture_marts):
    white = mobility_row(fixture_marts, A, "income_rank_p25", "white")
    # A3 has a white estimate but no white children: weight 0, it does not count.
    assert white["estimate"] == pytest.approx((45 * 80 + 50 * 120 + 55 * 50) / 250)  # 49.4
    assert white["count_children"] == 250 and white["count_tracts"] == 3
    # A1, A2, A4 hold 5,500 of the place's 8,100 people: 68% coverage, grade 2 (60-90%).
    assert white["coverage_share"] == pytest.approx(5500 / 8100)
    assert white["quality"] == 2
    pooled = mobility_row(fixture_marts, A, "income_rank_p25", "pooled")
    assert pooled["estimate"] == pytest.approx((35 * 200 + 40 * 300 + 45 * 500 + 50 * 40) / 1040)


def test_propagated_se_interval_and_cv_grade(fixture_marts):
    pooled = mobility_row(fixture_marts, A, "kfr", "pooled")
    assert pooled["estimate"] == pytest.approx((0.40 * 300 + 0.50 * 100 + 0.30 * 600) / 1000)  # 0.35
    se = math.sqrt(300**2 * 0.02**2 + 100**2 * 0.03**2 + 600**2 * 0.01**2) / 1000  # sqrt(81)/1000 = 0.009
    assert pooled["se"] == pytest.approx(0.009) and se == pytest.approx(0.009)
    assert pooled["lb"] == pytest.approx(0.35 - 1.96 * 0.009)
    assert pooled["ub"] == pytest.approx(0.35 + 1.96 * 0.009)
    # cv 0.026 is grade 1, but A1-A3 hold 6,000 of 8,100 people (74%): coverage grade 2 wins.
    assert pooled["cv"] == pytest.approx(0.009 / 0.35)
    assert pooled["coverage_share"] == pytest.approx(6000 / 8100)
    assert pooled["quality"] == 2 and pooled["quality_basis"] == "coverage_and_cv"
    black = mobility_row(fixture_marts, A, "kfr", "black")
    black_se = math.sqrt(50**2 * 0.05**2 + 50**2 * 0.05**2 + 20**2 * 0.10**2) / 120  # sqrt(16.5)/120
    assert black["estimate"] == pytest.approx(21 / 120)
    assert black["se"] == pytest.approx(black_se)
    assert black["cv"] == pytest.approx(black_se / (21 / 120))  # 0.193: grade 2 (12-40%)
    assert black["quality"] == 2
    hisp = mobility_row(fixture_marts, A, "kfr", "hisp")
    # se = sqrt(4 * 100^2 * 0.05^2) / 400 = 0.025 on an estimate of 0.05: cv 0.5, grade 3,
    # although coverage (7,500 of 8,100) alone would be grade 1.
    assert hisp["se"] == pytest.approx(0.025) and hisp["cv"] == pytest.approx(0.5)
    assert hisp["coverage_share"] == pytest.approx(7500 / 8100) and hisp["quality"] == 3


def test_suppression_for_few_children_or_tracts(fixture_marts):
    asian = mobility_row(fixture_marts, A, "kfr", "asian")  # 90 children in 3 tracts
    assert asian["suppressed"] is True and asian["count_children"] == 90
    assert asian["estimate"] is None and asian["se"] is None and asian["lb"] is None and asian["quality"] is None
    black_rank = mobility_row(fixture_marts, A, "income_rank_p25", "black")  # 110 children, 2 tracts
    assert black_rank["suppressed"] is True and black_rank["count_tracts"] == 2 and black_rank["estimate"] is None
    small = mobility_row(fixture_marts, B, "household_income_at_35_p25", "pooled")  # 2 tracts
    assert small["suppressed"] is True and small["estimate"] is None and small["pctl_national"] is None


def test_national_percentile_among_reference_places(fixture_marts):
    # Reference places A (30,333), C (10,000), D (50,000); B is not one and is suppressed.
    pctl = {p: mobility_row(fixture_marts, p, "household_income_at_35_p25", "pooled")["pctl_national"] for p in (A, C, D)}
    assert pctl == pytest.approx({A: 100 * 1.5 / 3, C: 100 * 0.5 / 3, D: 100 * 2.5 / 3})


def test_race_gap_se_and_interval(fixture_marts):
    with duckdb.connect(str(fixture_marts), read_only=True) as con:
        gap, gap_se, lb, ub, exceeds = con.execute(
            "select gap, gap_se, gap_lb, gap_ub, gap_exceeds_uncertainty from marts.city_mobility_gaps "
            "where city_geoid = ? and outcome = 'kfr' and race_comparison = 'black'", [A]).fetchone()
        rank_gap = con.execute(
            "select gap, suppressed from marts.city_mobility_gaps where city_geoid = ? and outcome = 'income_rank_p25' "
            "and race_comparison = 'black'", [A]).fetchone()
    white_se = math.sqrt(100**2 * 0.04**2 + 100**2 * 0.04**2 + 50**2 * 0.08**2) / 250  # sqrt(48)/250
    black_se = math.sqrt(16.5) / 120
    expected_se = math.sqrt(white_se**2 + black_se**2)
    assert gap == pytest.approx((0.50 * 100 + 0.60 * 100 + 0.55 * 50) / 250 - 21 / 120)  # 0.55 - 0.175
    assert gap_se == pytest.approx(expected_se)
    assert (lb, ub) == pytest.approx((0.375 - 1.96 * expected_se, 0.375 + 1.96 * expected_se))
    assert exceeds is True
    assert rank_gap == (None, True)  # the black income rank is suppressed


def test_tract_city_covers_both_vintages(fixture_marts):
    with duckdb.connect(str(fixture_marts), read_only=True) as con:
        counts = dict(con.execute("select tract_vintage, count(*) from intermediate.int_tract_city group by 1").fetchall())
        population_2020 = con.execute(
            "select population from intermediate.int_tract_city where tract_vintage = 2020").fetchone()[0]
    assert counts == {2010: len(POPULATION), 2020: 1} and population_2020 == 4321


# ---- the real build -------------------------------------------------------------------------

def test_every_registry_city_has_household_income_at_35(warehouse_sql):
    rows = warehouse_sql.execute("""
        select d.city_name, m.estimate, m.suppressed
        from marts.dim_city d
        left join marts.city_mobility m on m.city_geoid = d.city_geoid and m.outcome = 'household_income_at_35_p25'
    """).fetchall()
    assert len(rows) == 9
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


def test_correlate_matches_pearson_and_fisher_interval(warehouse_sql):
    pairs = warehouse_sql.execute("""
        select o.estimate, c.value from marts.tract_opportunity o
        join intermediate.int_tract_characteristics c on c.tract_geoid = o.tract_geoid and c.characteristic = 'mean_household_income_2000'
        where o.city_geoid = '4075000' and o.outcome = 'household_income_at_35_p25' and o.estimate is not null
    """).fetchall()
    n = len(pairs)
    xs, ys = zip(*pairs)
    mx, my = sum(xs) / n, sum(ys) / n
    r = sum((x - mx) * (y - my) for x, y in pairs) / math.sqrt(sum((x - mx) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys))
    row = warehouse_sql.execute("""
        select count_tracts, r, r_lb, r_ub from marts.city_mobility_correlates
        where city_geoid = '4075000' and outcome = 'household_income_at_35_p25' and characteristic = 'mean_household_income_2000'
    """).fetchone()
    half = 1.96 / math.sqrt(n - 3)
    assert row == pytest.approx((n, r, math.tanh(math.atanh(r) - half), math.tanh(math.atanh(r) + half)))
    assert n == 122


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
    """).fetchone()
    expected = warehouse_sql.execute("""
        select count(*) from staging.stg_urban__employment e join staging.stg_census__place_population p using (place_geoid, year)
        where e.year = 2023 and e.share_employed is not null and e.place_geoid <> '2622000'
          and p.population between 0.5 * ? and 2 * ?
    """, [population, population]).fetchone()[0]
    assert count_peers == expected > 10
