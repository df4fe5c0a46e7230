"""Paths and values written into SQL text stay text, whatever characters they hold."""

import duckdb

from orchestration.files import sql


def test_a_quote_in_a_folder_name_stays_part_of_the_path(tmp_path):
    folder = tmp_path / "O'Brien's data; drop table x; --"
    folder.mkdir()
    (folder / "rows.csv").write_text("geoid,value\n01,2\n")
    con = duckdb.connect()
    rows = con.execute(f"select geoid, value from read_csv({sql.path(folder / 'rows.csv')}, all_varchar = true)").fetchall()
    assert rows == [("01", "2")]
    con.execute(f"attach {sql.path(folder / 'copy.duckdb')} as copy")
    con.execute("create table copy.t as select 1 as one")
    assert con.execute("select one from copy.t").fetchall() == [(1,)]


def test_text_doubles_quotes():
    assert sql.text("Coeur d'Alene") == "'Coeur d''Alene'"
