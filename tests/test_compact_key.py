"""The pilot models join on a compact participant key, the first 60 bits of the keyed hash
(dbt macro `compact_key`), and the data test `compact_key_is_distinct` fails the build when two
participants of one pilot would share one."""

import re

import duckdb

from dbt_sql import PROJECT, render

KEY = "1b473ac5dfcdcb5500a1d35c09aaa409c362cdbbeb2c1be6e01d2a5e2a437364"


def compact(key: str) -> int:
    return duckdb.sql("select " + render("{{ compact_key(\"'" + key + "'\") }}")).fetchall()[0][0]


def breaches(rows: list[tuple[str, str]]) -> list[tuple]:
    """The pilots the data test reports on a raw participants table of (pilot_id, participant_key)."""
    text = (PROJECT / "tests" / "generic" / "compact_key_is_distinct.sql").read_text(encoding="utf-8")
    body = re.search(r"{% test compact_key_is_distinct\(.*?\) %}(.*){% endtest %}", text, re.S).group(1)
    con = duckdb.connect()
    con.execute("create table pilot_participants (pilot_id varchar, participant_key varchar)")
    con.executemany("insert into pilot_participants values (?, ?)", rows)
    arguments = "{% set column_name = 'participant_key' %}{% set raw = 'pilot_participants' %}{% set per = 'pilot_id' %}"
    return con.sql(render(arguments + body)).fetchall()


def test_the_compact_key_is_the_first_15_hex_digits_as_a_number():
    assert compact(KEY) == int("1b473ac5dfcdcb5", 16) == 122850273994267829
    assert compact("f" * 64) == 2**60 - 1


def test_two_keys_of_one_pilot_sharing_a_compact_key_fail_the_data_test():
    same_start = KEY[:15] + "0" * 49
    assert breaches([("a", KEY), ("a", same_start), ("b", KEY)]) == [("a",)]


def test_repeated_keys_and_keys_of_other_pilots_pass_the_data_test():
    assert breaches([("a", KEY), ("a", KEY), ("b", KEY), ("b", "f" * 64)]) == []
