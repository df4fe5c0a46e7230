"""Rules declared in dbt YAML `meta` become Great Expectations expectations, one declaration each."""

import duckdb

from orchestration.quality.declared_rules import KNOWN_COUNTIES, declared_tables
from orchestration.quality.suites import declared_suite

SOURCE = {
    "name": "tract_incomes",
    "original_file_path": "models/staging/x/_x__sources.yml",
    "description": "Tract incomes.",
    "meta": {"keys": ["tract"], "row_rules": [{"rule": "a tract has a name", "where": "name = ''"}]},
    "columns": {
        "tract": {"name": "tract", "meta": {"geoid_width": 11, "known_county": True}},
        "income": {"name": "income", "meta": {"unit": "dollars", "range": [0, 2000000],
                                              "interval": ["income_lb", "income_ub"]}},
        "quality": {"name": "quality", "meta": {"values": [1, 2, 3], "severity": "warning"}},
    },
}
MART = {
    "name": "city_counts", "resource_type": "model", "schema": "marts", "description": "Counts.",
    "patch_path": "mobility://models/marts/_marts__city_counts.yml",
    "meta": {"keys": ["city_geoid", "year"]},
    "columns": {
        # A contract's not_null is enforced by the database: no expectation for it.
        "city_geoid": {"name": "city_geoid", "constraints": [{"type": "not_null"}],
                       "meta": {"geoid_width": 7, "references": ["marts.dim_city"]}},
        # Meta rendered from "{{ var('small_cell_min') }}" reaches the manifest as text.
        "count_people": {"name": "count_people", "meta": {"range": ["11", None], "unit": "people"}},
    },
}
STAGING = {"name": "stg_x", "resource_type": "model", "schema": "staging", "columns": {"a": {"name": "a"}}}
MANIFEST = {"sources": {"source.x": SOURCE}, "nodes": {"model.m": MART, "model.s": STAGING}}


def rules_of(table: str) -> dict[str, tuple[str, dict, str]]:
    (declared,) = [t for t in declared_tables(MANIFEST) if t.table == table]
    return {rule: (kind, kwargs, severity) for kind, kwargs, severity, rule in declared.rules}


def test_source_columns_become_expectations_with_their_rule_in_words():
    rules = rules_of("tract_incomes")
    assert rules["income is between $0 and $2,000,000"] == (
        "expect_column_values_to_be_between", {"column": "income", "min_value": 0, "max_value": 2000000}, "error")
    assert rules["primary key tract is unique"] == ("expect_column_values_to_be_unique", {"column": "tract"}, "error")
    assert rules["quality is one of 1, 2, 3"][2] == "warning"
    assert rules["row count is not down more than 20% from the published version"][1] == {
        "min_value": {"$PARAMETER": "published_row_count * 0.8"}}
    assert rules["income_lb <= income <= income_ub"][1] == {
        "unexpected_rows_query": 'select * from {batch} where "income_lb" > "income" or "income" > "income_ub"'}
    assert rules["a tract has a name"][1] == {"unexpected_rows_query": "select * from {batch} where name = ''"}
    # The loader checks GEOID widths of source files before the table exists.
    assert not any("digits" in rule for rule in rules)
    assert len(rules) == 7


def test_model_columns_and_keys():
    rules = rules_of("city_counts")
    assert rules["primary key (city_geoid, year) is unique"][0] == "expect_compound_columns_to_be_unique"
    assert rules["city_geoid is a GEOID of exactly 7 digits"][1] == {"column": "city_geoid", "regex": "^[0-9]{7}$"}
    assert rules["count_people is at least 11 (people)"][1] == {"column": "count_people", "min_value": 11}
    assert "every city_geoid is in marts.dim_city" in rules
    assert not any("never null" in rule for rule in rules)
    assert len(rules) == 5


def test_a_staging_view_that_declares_nothing_gets_no_suite():
    assert "stg_x" not in {t.table for t in declared_tables(MANIFEST)}


def test_known_county_rule_finds_the_unknown_county():
    con = duckdb.connect()
    con.execute("create schema raw")
    con.execute("create table raw.census_county_population as select '40' as state, '143' as county")
    con.execute("create table raw.atlas_county_outcomes as select '39' as state, '061' as county")
    con.execute("create table raw.atlas_social_capital_county as select '26163' as county")
    con.execute("create table raw.oi_cz_county_crosswalk as select '22' as state, '071' as county")
    con.execute("create table raw.tract_incomes as select * from (values ('40143000100'), ('51515050100'), "
                "('99999000100')) as t(tract)")
    rule = next(r for r in declared_suite(next(t for t in declared_tables(MANIFEST) if t.table == "tract_incomes")).rules
                if r.rule == "every tract lies in a known county")
    query = rule.kwargs["unexpected_rows_query"].format(batch="raw.tract_incomes")
    assert con.execute(query).fetchall() == [("99999000100",)]
    assert "'51515'" in KNOWN_COUNTIES  # Bedford city VA, dissolved, still named by 2010 tracts
