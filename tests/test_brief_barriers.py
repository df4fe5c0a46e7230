"""The brief's "What goes with low mobility here" section reads the barrier marts when the published
file has them (their columns as the marts declare them), and is left out when it has none."""

import shutil

import duckdb

from orchestration.analysts import published
from orchestration.analysts.brief import render
from test_brief import text_of

MARTS = """
create or replace table marts.city_neighbourhood_conditions as
select * from (values
    ('2622000', 'Detroit', 'MI', '2014-2018', 'household_income_at_35_p25', 'Household income at 35', 'share_poverty',
     'Share of people in poverty', 287, -0.612, -0.680, -0.534, -0.41, 0.08, -0.57, -0.25, 6.2, true, 1),
    ('2622000', 'Detroit', 'MI', '2014-2018', 'household_income_at_35_p25', 'Household income at 35', 'share_unemployed',
     'Share of adults unemployed', 287, -0.48, -0.566, -0.384, -0.12, 0.07, -0.26, 0.02, 2.1, false, 2),
    ('2622000', 'Detroit', 'MI', '2014-2018', 'household_income_at_35_p25', 'Household income at 35', 'share_vacant_housing',
     'Share of homes vacant', 287, -0.31, -0.41, -0.20, -0.05, 0.06, -0.17, 0.07, 1.8, false, 3),
    ('2622000', 'Detroit', 'MI', '2014-2018', 'household_income_at_35_p25', 'Household income at 35', 'share_uninsured',
     'Share without health insurance', 287, -0.05, -0.17, 0.07, 0.01, 0.05, -0.09, 0.11, 1.2, false, 4),
    ('2622000', 'Detroit', 'MI', '2011-2015', 'household_income_at_35_p25', 'Household income at 35', 'share_poverty',
     'Share of people in poverty', 287, -0.9, -0.95, -0.85, -0.41, 0.08, -0.57, -0.25, 6.2, true, 1)
) as t(city_geoid, city_name, state_abbr, acs_vintage, outcome, outcome_label, condition, condition_label,
       count_tracts, r, r_lb, r_ub, coef_std, coef_std_se, coef_std_lb, coef_std_ub, vif, is_collinear, rank_abs_r);
create or replace table marts.city_expected_mobility as
select '2622000' as city_geoid, 'Detroit' as city_name, 'MI' as state_abbr, 38.27 as observed, 41.9 as predicted,
       -3.63 as residual, 39.1 as prediction_lb, 44.7 as prediction_ub, 'worse_than_predicted' as verdict;
create or replace table marts.city_similar_places as
select '2622000' as city_geoid, rank as similar_rank, geoid as similar_geoid, name as similar_name,
       'OH' as similar_state_abbr, rank * 0.1 as distance, observed as similar_observed
from (values (1, '3916000', 'Cleveland', 37.42), (2, '3977000', 'Toledo', 39.06)) as t(rank, geoid, name, observed);
"""


def copy_of_published(tmp_path, sql: str):
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(published.path(), home / "mobility.duckdb")
    con = duckdb.connect(str(home / "mobility.duckdb"))
    con.execute(sql)
    con.close()
    return home


def test_barriers_section_is_left_out_without_the_barrier_marts(built_warehouse, tmp_path, monkeypatch):
    assert 'id="barriers"' in render("Detroit")[1]  # the published barrier marts
    home = copy_of_published(tmp_path, "".join(f"drop table marts.{name};" for name in (
        "city_neighbourhood_conditions", "city_expected_mobility", "city_similar_places", "place_mobility_conditions")))
    monkeypatch.setenv("MOBILITY_HOME", str(home))
    assert 'id="barriers"' not in render("Detroit")[1]


def test_barriers_section_reads_the_barrier_marts(built_warehouse, tmp_path, monkeypatch):
    home = copy_of_published(tmp_path, MARTS)
    monkeypatch.setenv("MOBILITY_HOME", str(home))
    shown = text_of(render("Detroit", ["barriers"])[1])
    # The three strongest of the latest vintage, in order, with their Fisher-z intervals.
    assert ("Share of people in poverty about -0.61 (between -0.68 and -0.53) 287 moves with other conditions: "
            "cannot be told apart Share of adults unemployed about -0.48 (between -0.57 and -0.38) 287 – "
            "Share of homes vacant about -0.31 (between -0.41 and -0.20) 287 –") in shown
    assert "without health insurance" not in shown and "-0.90" not in shown
    assert "patterns, not proof of cause" in shown
    assert "most strongly tied to household income at 35 across neighbourhoods (ACS 2014-2018)" in shown
    assert ("the city does worse than its conditions predict: an individual income rank of 38.3 (0-100), against "
            "about 42 (between 39 and 45) predicted.") in shown
    assert ("Places most like it in their conditions (with their individual income rank): Cleveland, OH (37.4), "
            "Toledo, OH (39.1).") in shown
    spanish = text_of(render("Detroit", ["barriers"], lang="es")[1])
    assert "Pobreza unos -0.61 (entre -0.68 y -0.53)" in spanish and "Qué acompaña a la baja movilidad aquí" in spanish
