"""Official files a city downloads itself (too large or not licensed to bundle): loaded when a
run config or an environment variable names one, their raw table created empty otherwise.

Each is a wide file reshaped into a long raw table. The loader checks the file's required
columns and that every value cell is a number, naming the data row and column that break it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import duckdb
from dagster import Config

from orchestration import sql
from orchestration.ingest import CustomTable, SourceFileError, file_sha256, source_file_spec, write_raw_table


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
    long_form: Callable[[Path], str]  # select reshaping the file into the raw table

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
        probe = duckdb.connect()
        try:
            self._check(probe, path)
        finally:
            probe.close()

        def create(con: duckdb.DuckDBPyConnection) -> None:
            try:
                con.execute(f"create or replace table {table} as {self.long_form(path)}")
            except duckdb.Error as exc:
                raise SourceFileError(f"{path}: cannot be read into {table}: {exc}") from exc

        return write_raw_table(con, self.table, create, str(path), file_sha256(path))

    def _check(self, probe: duckdb.DuckDBPyConnection, path: Path) -> None:
        try:
            columns = [row[0] for row in probe.execute(f"describe select * from {self.reader(path)}").fetchall()]
        except duckdb.Error as exc:
            raise SourceFileError(f"{path}: cannot be read as CSV: {exc}") from exc
        missing = [c for c in self.required if c not in columns]
        if missing:
            raise SourceFileError(f"{path}: missing required column(s) {', '.join(missing)} "
                                  f"(rule: a {self.what} carries {', '.join(self.required)})")
        bad = probe.execute(
            f"""
            select data_row, column_name, cell from (
                unpivot (select row_number() over () as data_row, * from {self.reader(path)})
                on columns('{self.value_columns}') into name column_name value cell
            )
            where try_cast(cell as double) is null
            limit 3
            """
        ).fetchall()
        if bad:
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
