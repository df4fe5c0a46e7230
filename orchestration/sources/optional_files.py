"""Official files a city downloads itself (too large or not licensed to bundle): loaded when a
run config or an environment variable names one, their raw table created empty otherwise.

Each is a wide file reshaped into a long raw table. The loader checks the file's required
columns and that every value cell is a number, naming the data row and column that break it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import duckdb
from dagster import Config

from orchestration.files import sql
from orchestration.files.bytes import file_sha256, SourceFileError
from orchestration.ingestion.asset_factory import CustomTable, source_file_spec
from orchestration.ingestion.loading import write_raw_table


def text_reader(path: Path, skip: int = 0) -> str:
    """SQL reading a CSV with every cell as text; `NA`, empty and `.` cells are missing."""
    return (f"read_csv({sql.path(path)}, header = true, skip = {skip}, all_varchar = true, "
            "nullstr = ['NA', '', '.'])")


def stat_columns(*stats: str) -> str:
    """One column per statistic from long `(stat, cell)` rows, for a `group by` of the other keys."""
    return ", ".join(f"max(cell) filter (where stat = '{stat}') as {stat}" for stat in stats)


class OptionalFileConfig(Config):
    """Path of the official file. Empty (the default) reads the source's environment variable;
    with neither, the raw table is empty."""

    path: str = ""


@dataclass(frozen=True)
class OptionalFile:
    table: str
    env_var: str
    what: str  # the file in words, for messages
    columns: str  # the raw table's columns (SQL), for the empty table
    required: tuple[str, ...]  # columns the file must have
    value_columns: str  # regular expression of the columns whose cells must be numbers
    reader: Callable[[Path], str]  # SQL reading the file, every cell as text
    # select reshaping the file's cells (a relation, every column as text; its columns) into the raw table
    long_form: Callable[[str, list[str], Path], str]

    def files(self, configured: str = "") -> list[Path]:
        """The file given in run config, else the environment variable's; none when neither is set."""
        location = configured or os.environ.get(self.env_var, "")
        return [Path(location)] if location else []

    def load(self, configured: str, con: duckdb.DuckDBPyConnection) -> dict:
        table = f"raw.{self.table}"
        files = self.files(configured)
        if not files:
            empty = f"create or replace table {table} ({self.columns})"
            return write_raw_table(con, self.table, lambda con: con.execute(empty), "(none configured)", "")
        (path,) = files
        if not path.exists():
            raise SourceFileError(f"{path}: file not found (rule: configured {self.what})")

        def create(con: duckdb.DuckDBPyConnection) -> None:
            # The file is read once, as text, into a temporary table that is checked, then reshaped.
            try:
                con.execute(f"create or replace temp table official_cells as select * from {self.reader(path)}")
            except duckdb.Error as exc:
                raise SourceFileError(f"{path}: cannot be read as CSV: {exc}") from exc
            try:
                columns = [row[0] for row in con.execute("describe official_cells").fetchall()]
                self._check(con, columns, path)
                try:
                    con.execute(f"create or replace table {table} as {self.long_form('official_cells', columns, path)}")
                except duckdb.Error as exc:
                    raise SourceFileError(f"{path}: cannot be read into {table}: {exc}") from exc
            finally:
                con.execute("drop table if exists official_cells")

        return write_raw_table(con, self.table, create, str(path), file_sha256(path))

    def _check(self, con: duckdb.DuckDBPyConnection, columns: list[str], path: Path) -> None:
        missing = [c for c in self.required if c not in columns]
        if missing:
            raise SourceFileError(f"{path}: missing required column(s) {', '.join(missing)} "
                                  f"(rule: a {self.what} carries {', '.join(self.required)})")
        values = [c for c in columns if re.search(self.value_columns, c)]
        if not values:
            return
        # One pass counts the cells that are not numbers per column; rows are looked up only then.
        text_cells = con.execute("select " + ", ".join(
            f'count(*) filter (where "{c}" is not null and try_cast("{c}" as double) is null)' for c in values
        ) + " from official_cells").fetchone()
        broken = [c for c, count in zip(values, text_cells) if count]
        if not broken:
            return
        bad = con.execute(
            f"""
            select data_row, column_name, cell from (
                unpivot (select row_number() over () as data_row, {", ".join(f'"{c}"' for c in broken)} from official_cells)
                on columns(* exclude (data_row)) into name column_name value cell
            )
            where try_cast(cell as double) is null
            order by data_row
            limit 3
            """
        ).fetchall()
        rows = "; ".join(f"data row {r} column {c} has {v!r}" for r, c, v in bad)
        raise SourceFileError(f"{path}: rule 'values are numbers' broken: {rows}")

    def custom_table(self, group: str, description: str, file_description: str) -> CustomTable:
        return CustomTable(
            table=self.table,
            group=group,
            description=description,
            file_spec=source_file_spec(self.table, group, [f"${self.env_var}"], file_description),
            files=self.files,
            load=lambda con, home, config: self.load(config.path, con),
        )
