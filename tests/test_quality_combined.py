"""The pass/fail round checks a table's row rules in one query: it never passes a table that a
rule breaks, and a failure is reported rule by rule, as if nothing had been combined."""

from pathlib import Path

import duckdb
import pytest

from orchestration.quality.combined import combined
from orchestration.quality.runner import validate
from orchestration.quality.suites import Rule, Suite

GOOD_ROWS = "('01001020100', 'A', 41200.0), ('01001020200', 'B', 52000.0), ('01001020300', null, 30150.0)"
RULES = (
    Rule("expect_column_values_to_not_be_null", {"column": "tract_geoid"}, "error", "tract_geoid is never null"),
    Rule("expect_column_values_to_be_unique", {"column": "tract_geoid"}, "error", "tract_geoid is unique"),
    Rule("expect_compound_columns_to_be_unique", {"column_list": ["tract_geoid", "band"]}, "error", "key is unique"),
    Rule("expect_column_values_to_be_in_set", {"column": "band", "value_set": ["A", "B", "C"]}, "error",
         "band is one of A, B, C"),
    Rule("expect_column_values_to_be_between", {"column": "income", "min_value": 0, "max_value": 1_000_000},
         "error", "income is between $0 and $1,000,000"),
    Rule("unexpected_rows_expectation", {"unexpected_rows_query": "select * from {batch} where income = 12345"},
         "error", "income is never the placeholder 12345"),
    Rule("expect_table_row_count_to_be_between", {"min_value": {"$PARAMETER": "published_row_count * 0.8"}},
         "error", "row count holds"),
    Rule("expect_column_values_to_be_between", {"column": "income", "max_value": 60_000}, "warning",
         "income above $60,000 is rare"),
)


def table(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "build.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema raw")
    con.execute(f"create table raw.tracts as select * from (values {rows}) as t(tract_geoid, band, income)")
    con.close()
    return path


def suite(db: Path) -> Suite:
    return Suite(schema="raw", table="tracts", description="", rules=RULES, files=(db,))


def test_plain_row_rules_become_one_query_and_the_others_stay():
    quick, together = combined(Suite(schema="raw", table="tracts", description="", rules=RULES, files=()))
    assert [r.rule for r in together] == [r.rule for r in RULES[:6]]
    assert [r.type for r in quick.rules] == ["unexpected_rows_expectation", "expect_table_row_count_to_be_between",
                                             "expect_column_values_to_be_between"]
    assert quick.rules[0].rule.startswith("6 row rules, checked in one query")


def test_on_spark_the_merged_query_reads_gx_batch_and_quotes_with_backticks():
    quick, together = combined(Suite(schema="marts", table="tracts", description="", rules=RULES, files=()), "spark")
    query = quick.rules[0].kwargs["unexpected_rows_query"]
    assert len(together) == 6 and '"' not in query and "marts" not in query
    assert query.count("{batch}") == 7
    assert "select 1 from {batch} where `tract_geoid` is null" in query
    assert "group by `tract_geoid`, `band` having count(*) > 1" in query
    assert "where `band` not in ('A', 'B', 'C')" in query


def test_identifiers_are_quoted_per_engine():
    from orchestration.quality.declared_rules import quoted

    assert quoted('odd"name') == '"odd""name"'
    assert quoted("odd`name", "spark") == "`odd``name`"
    assert quoted("odd`name") == '"odd`name"'


def test_the_merged_query_reads_the_table_or_the_rows_itself_not_gx_batch():
    whole, _ = combined(Suite(schema="raw", table="tracts", description="", rules=RULES, files=()))
    query = whole.rules[0].kwargs["unexpected_rows_query"]
    assert query.count("{batch}") == 1 and query.endswith("where exists (select 1 from {batch})")
    assert query.count('from "raw"."tracts"') == 6
    some, _ = combined(Suite(schema="raw", table="tracts", description="", rules=RULES, files=(), rows="band = 'A'"))
    assert some.rules[0].kwargs["unexpected_rows_query"].count("""from (select * from "raw"."tracts" where band = 'A')""") == 6


def test_gx_reads_the_merged_rule_without_a_word(capsys):
    whole, _ = combined(Suite(schema="raw", table="tracts", description="", rules=RULES, files=()))
    whole.gx_suite()
    assert capsys.readouterr().out == ""


def test_a_passing_table_reports_every_rule_met(tmp_path):
    run = validate(suite(table(tmp_path, GOOD_ROWS)), tmp_path / "build.duckdb", {"published_row_count": 3})
    assert sorted(o.rule for o in run.outcomes) == sorted(r.rule for r in RULES)
    assert all(o.success for o in run.outcomes)


@pytest.mark.parametrize(("bad_row", "broken"), [
    ("(null, 'A', 1.0)", "tract_geoid is never null"),
    ("('01001020100', 'C', 1.0)", "tract_geoid is unique"),
    ("('01001020100', 'A', 1.0)", "key is unique"),
    ("('01001020400', 'Z', 1.0)", "band is one of A, B, C"),
    ("('01001020400', 'A', -1.0)", "income is between $0 and $1,000,000"),
    ("('01001020400', 'A', 1000001.0)", "income is between $0 and $1,000,000"),
    ("('01001020400', 'A', 12345.0)", "income is never the placeholder 12345"),
])
def test_each_broken_rule_fails_the_check_under_its_own_name(tmp_path, bad_row, broken):
    db = table(tmp_path, f"{GOOD_ROWS}, {bad_row}")
    run = validate(suite(db), db, {"published_row_count": 3})
    failed = {o.rule for o in run.outcomes if not o.success and o.severity == "error"}
    assert broken in failed
    assert run.blocking
    assert len(run.outcomes) == len(RULES)
    assert all(o.error is None for o in run.outcomes)


def test_a_broken_warning_alone_keeps_the_rules_combined_and_gets_its_counts(tmp_path):
    db = table(tmp_path, f"{GOOD_ROWS}, ('01001020400', 'A', 70000.0)")
    run = validate(suite(db), db, {"published_row_count": 3})
    (warned,) = [o for o in run.outcomes if not o.success]
    assert warned.rule == "income above $60,000 is rare" and warned.severity == "warning"
    assert warned.unexpected_count == 1 and warned.sample == [70000.0]
    assert not run.blocking and len(run.outcomes) == len(RULES)
    assert run.result.results[0].expectation_config.type == "unexpected_rows_expectation"  # still one query


CITY_ROWS = ("('01001020100', 'A', 41200.0), ('01001020200', 'B', 52000.0), "  # city 0107000: good
             "('48201000100', 'Z', 12345.0), ('48201000200', 'Z', -5.0)")  # city 4835000: three rules broken


def city_suite(db: Path, rows: str | None) -> Suite:
    con = duckdb.connect(str(db))
    con.execute("alter table raw.tracts add column city_geoid varchar")
    con.execute("update raw.tracts set city_geoid = case when tract_geoid like '01%' then '0107000' else '4835000' end")
    con.close()
    return Suite(schema="raw", table="tracts", description="", rules=RULES, files=(db,), rows=rows)


def test_rows_of_one_city_are_checked_by_the_row_rules_and_the_table_rules_see_the_whole_table(tmp_path):
    db = table(tmp_path, CITY_ROWS)
    run = validate(city_suite(db, "city_geoid = '0107000'"), db, {"published_row_count": 5})
    # Only Birmingham's two rows are read by the row rules; the row count counts all four (4 >= 0.8 x 5,
    # where Birmingham's 2 would not be).
    assert all(o.success for o in run.outcomes), [o.summary() for o in run.outcomes if not o.success]
    assert sorted(o.rule for o in run.outcomes) == sorted(r.rule for r in RULES)

    (tmp_path / "again").mkdir()
    db = table(tmp_path / "again", CITY_ROWS)
    too_few = validate(city_suite(db, "city_geoid = '0107000'"), db, {"published_row_count": 10})
    assert [o.rule for o in too_few.outcomes if not o.success] == ["row count holds"]  # 4 < 0.8 x 10


def test_the_rows_of_the_city_that_breaks_the_rules_fail_them_with_their_counts(tmp_path):
    db = table(tmp_path, CITY_ROWS)
    run = validate(city_suite(db, "city_geoid = '4835000'"), db, {"published_row_count": 4})
    failed = {o.rule: o for o in run.outcomes if not o.success}
    assert sorted(failed) == ["band is one of A, B, C", "income is between $0 and $1,000,000",
                              "income is never the placeholder 12345"]
    assert (failed["band is one of A, B, C"].unexpected_count, failed["income is between $0 and $1,000,000"].sample) == (2, [-5.0])
