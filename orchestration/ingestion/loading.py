"""The loading rules: how a declared source file becomes `raw.<table>` with DuckDB's own readers.

Every file is declared once as a `SourceFile`. Its load checks the file's structure (the
declared columns, numbers where a rule compares numbers, GEOID widths) and replaces the raw
table only when every rule holds, in one transaction with its row in the load log. A bad file
raises `SourceFileError` naming the file, the row or column, and the rule.
"""

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import duckdb

from orchestration import settings
from orchestration.declarations.dbt_manifest import geoid_widths, source_columns
from orchestration.files import sql
from orchestration.files.bytes import SourceFileError, check_text_file, file_sha256, utf8_readable
from orchestration.ingestion.load_log import Load, create_raw_schema, record_load

# Column rules that only numbers can meet: a column declared with one must be read as numbers.
NUMERIC_RULES = ("range", "mean", "interval")
# DuckDB's CSV reader reads lines of up to this many bytes (its default `max_line_size`).
MAX_LINE_BYTES = 2_000_000


@dataclass(frozen=True)
class SourceFile:
    """One bundled (or downloaded) file and how it becomes `raw.<table>`."""

    table: str
    path: str  # relative to the source directory (`seeds/` by default)
    group: str
    description: str
    select: str  # select list over the reader; pads GEOIDs, renames nothing else
    read_options: str = "header = true"
    reader: str = "csv"
    where: str = "true"
    provenance: str = ""

    @property
    def required_columns(self) -> tuple[str, ...]:
        """The columns its dbt source declares (with their rules) must be in the file."""
        return tuple(source_columns(self.table))


def pad(column: str, width: int) -> str:
    """SQL that turns an integer-typed or short GEOID into a zero-padded string. A value
    longer than `width` is kept whole (lpad alone would truncate it), and an empty one stays
    empty (lpad would make it all zeros), so the check sees both."""
    text = f"cast({column} as varchar)"
    padded = f"lpad({text}, cast(greatest(length({text}), {width}) as integer), '0')"
    return f"case when {text} = '' then '' else {padded} end"


def reader_sql(spec: SourceFile, path: Path) -> str:
    return f"read_{spec.reader}({sql.path(path)}, {spec.read_options})"


def duckdb_reason(error: duckdb.Error) -> str:
    """DuckDB's message up to its suggestions, without the lines that echo the file or the query."""
    head = str(error).strip().split("\n\n")[0]
    lines = [line.strip()[:200] for line in head.splitlines() if not line.startswith(("Original Line", "LINE "))]
    return " ".join(lines)


def csv_shape_problem(path: Path) -> str | None:
    """The first row that is not a well-formed CSV row of the header's width, in words; None if
    every row is. For the messages of a file a sniffing reader could not make sense of."""
    limit = csv.field_size_limit(MAX_LINE_BYTES)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = csv.reader(handle, strict=True)
            number = 0
            try:
                header = next(rows, [])
                for number, row in enumerate(rows, start=1):
                    if row and len(row) != len(header):
                        return (f"data row {number} (line {rows.line_num}) has {len(row)} cells where the header has "
                                f"{len(header)} (rule: every row has as many cells as the header)")
            except csv.Error as error:
                where = f"data row {number + 1} (line {rows.line_num})"
                if "field limit" in str(error):
                    return (f"{where} is longer than {MAX_LINE_BYTES:,} characters (rule: a line of at most "
                            f"{MAX_LINE_BYTES:,} bytes, the CSV reader's limit)")
                return (f"{where} is not well-formed CSV: {error} (rule: a quoted cell ends with its closing quote, "
                        "then a comma or the end of the line)")
    finally:
        csv.field_size_limit(limit)
    return None


def check_columns(con: duckdb.DuckDBPyConnection, spec: SourceFile, table: str, shown: Path, readable: Path) -> None:
    present = {row[0] for row in con.execute(f"describe {table}").fetchall()}
    rows = con.execute(f"select count(*) from {table}").fetchone()[0]
    missing = [c for c in spec.required_columns if c not in present]
    if missing or not rows:
        # A malformed row can make the reader take the wrong line for the header: that row is the fault.
        shape = csv_shape_problem(readable) if spec.reader == "csv" else None
        if shape:
            raise SourceFileError(f"{shown}: {shape}")
    if not rows:
        raise SourceFileError(f"{shown}: no data rows (rule: raw.{spec.table} is loaded from at least one row)")
    if missing:
        raise SourceFileError(
            f"{shown}: missing required column(s) {', '.join(missing)} "
            f"(rule: {spec.table} needs columns {', '.join(spec.required_columns)})"
        )


def check_numbers(con: duckdb.DuckDBPyConnection, spec: SourceFile, table: str, shown: Path) -> None:
    """Columns declared with a numeric rule hold numbers: a cell of text would otherwise turn the
    whole column into text, and the rule could no longer be checked."""
    types = dict(con.execute(f"select column_name, column_type from (describe {table})").fetchall())
    for column, meta in source_columns(spec.table).items():
        if not any(rule in meta for rule in NUMERIC_RULES) or types[column] != "VARCHAR":
            continue
        bad = con.execute(
            f"""
            select data_row, value from (
                select row_number() over () as data_row, "{column}" as value from {table}
            )
            where value is not null and try_cast(value as double) is null
            limit 3
            """
        ).fetchall()
        if bad:
            rows = "; ".join(f"data row {r} has {v[:60]!r}" for r, v in bad)
            raise SourceFileError(f"{shown}: column {column} breaks rule 'a number (its declared rules compare "
                                  f"numbers)': {rows}")


def check_geoids(con: duckdb.DuckDBPyConnection, table: str, widths: dict[str, int], shown: str) -> None:
    for column, width in widths.items():
        bad = con.execute(
            f"""
            select data_row, {column} from (
                select row_number() over () as data_row, {column} from {table}
            )
            where {column} is not null and not regexp_full_match({column}, '[0-9]{{{width}}}')
            limit 3
            """
        ).fetchall()
        if bad:
            rows = "; ".join(f"data row {r} has {v!r}" for r, v in bad)
            raise SourceFileError(
                f"{shown}: column {column} breaks rule 'GEOID of exactly {width} digits': {rows}"
            )


def write_raw_table(
    con: duckdb.DuckDBPyConnection,
    table: str,
    create: Callable[[duckdb.DuckDBPyConnection], None],
    source: str,
    sha256: str,
) -> Load:
    """Run `create` (which builds `raw.<table>`), check its GEOIDs and log the load, all in
    one transaction: a failure leaves the previous raw table as it was."""
    create_raw_schema(con)
    con.execute("begin transaction")
    try:
        create(con)
        check_geoids(con, f"raw.{table}", geoid_widths(table), source)
        rows = con.execute(f"select count(*) from raw.{table}").fetchone()[0]
        loaded_at = record_load(con, table, source, sha256, rows)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return Load(table, rows, source, sha256, loaded_at)


def load_source(spec: SourceFile, con: duckdb.DuckDBPyConnection, home: Path) -> Load:
    path = settings.source_dir() / spec.path
    check_text_file(path, f"raw.{spec.table} is loaded from it")
    readable = utf8_readable(path, home / "scratch")

    def create(con: duckdb.DuckDBPyConnection) -> None:
        # One statement reads the file, into a temporary table whose columns are checked before
        # the select that pads GEOIDs runs on it: a `describe` of the file would sniff it again.
        try:
            con.execute(f"create or replace temp table incoming as select * from {reader_sql(spec, readable)}")
        except duckdb.Error as exc:
            reason = (csv_shape_problem(readable) if spec.reader == "csv" else None) or duckdb_reason(exc)
            raise SourceFileError(f"{path}: cannot be read as {spec.reader.upper()}: {reason}") from exc
        check_columns(con, spec, "incoming", path, readable)
        check_numbers(con, spec, "incoming", path)
        con.execute(f"create or replace table raw.{spec.table} as select {spec.select} from incoming where {spec.where}")
        con.execute("drop table incoming")

    return write_raw_table(con, spec.table, create, str(path), file_sha256(path))
