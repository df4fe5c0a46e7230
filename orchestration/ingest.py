"""Loading source files into DuckDB's `raw` schema with DuckDB's own readers.

Every file is declared once as a `SourceFile` (or, when code of its own loads it, a
`CustomTable`); a module's declarations form one `SourceGroup`: one Dagster step that loads
them, several at once on one database, checks their structure, and records row count, file,
hash and load time per table. A bad file raises `SourceFileError` naming the file, the row or
column, and the rule; the file itself is never modified, and its raw table is replaced only
when the load succeeds.
"""

import codecs
import csv
import hashlib
import os
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator, Sequence

import duckdb
from dagster import AssetExecutionContext, AssetKey, AssetSpec, Config, MaterializeResult, MetadataValue, multi_asset

from orchestration import settings, sql
from orchestration.declarations import geoid_widths, source_columns
from orchestration.resources import BUILD_FILE_POOL, Warehouse

# Column rules that only numbers can meet: a column declared with one must be read as numbers.
NUMERIC_RULES = ("range", "mean", "interval")
# DuckDB's CSV reader reads lines of up to this many bytes (its default `max_line_size`).
MAX_LINE_BYTES = 2_000_000
# Files of one source group loaded at once, each in its own transaction.
LOADS_AT_ONCE = max(1, min(4, os.cpu_count() or 1))


class SourceFileError(ValueError):
    """A source file breaks a structural rule. The message names file, row/column and rule."""


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


def source_dir() -> Path:
    """`MOBILITY_SOURCE_DIR` lets a user point at freshly downloaded files of the same names."""
    return Path(os.environ.get("MOBILITY_SOURCE_DIR", settings.SEEDS_DIR))


def pad(column: str, width: int) -> str:
    """SQL that turns an integer-typed or short GEOID into a zero-padded string. A value
    longer than `width` is kept whole (lpad alone would truncate it), and an empty one stays
    empty (lpad would make it all zeros), so the check sees both."""
    text = f"cast({column} as varchar)"
    padded = f"lpad({text}, cast(greatest(length({text}), {width}) as integer), '0')"
    return f"case when {text} = '' then '' else {padded} end"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def files_sha256(paths: list[Path]) -> str:
    """The hash of the file, or of the files' hashes in order when a table is loaded from several."""
    if len(paths) == 1:
        return file_sha256(paths[0])
    return hashlib.sha256("".join(file_sha256(p) for p in paths).encode()).hexdigest()


ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def binary_kind(head: bytes) -> str | None:
    """What a file that should be text holds instead, judged from its first bytes; None for
    text (UTF-16 with a byte-order mark is text)."""
    if head.startswith(ZIP_MAGIC):
        return "a zip archive (an .xlsx workbook is one)"
    if head.startswith(OLE_MAGIC):
        return "an Excel 97-2003 workbook (.xls)"
    if head.startswith(UTF16_BOMS) or b"\x00" not in head:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if min(even, odd) == 0 and max(even, odd) >= len(head) // 4:  # every other byte of ASCII text is NUL
        return "UTF-16 text without a byte-order mark"
    return f"binary data (a NUL byte at byte {head.index(0):,})"


def _latin1_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("mobility_latin1_fallback", _latin1_fallback)


def check_text_file(path: Path, rule: str) -> None:
    """The file exists, is not empty and holds text: what no reader can be asked to judge well."""
    if not path.exists():
        raise SourceFileError(f"{path}: file not found (rule: {rule})")
    if path.stat().st_size == 0:
        raise SourceFileError(f"{path}: the file is empty, 0 bytes (rule: {rule})")
    with path.open("rb") as handle:
        kind = binary_kind(handle.read(1 << 16))
    if kind:
        raise SourceFileError(f"{path}: holds {kind}, not text (rule: {rule})")


def utf8_readable(path: Path, scratch_dir: Path) -> Path:
    """The file itself when it is clean UTF-8, else a UTF-8 copy in `scratch_dir`.

    Some Census and Geocorr files are latin-1, and one mixes latin-1 and UTF-8 lines:
    each undecodable byte is read as latin-1, every valid UTF-8 sequence is kept. A file saved
    as UTF-16 (with its byte-order mark) is read as such.
    """
    data = path.read_bytes()
    if data.startswith(UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise SourceFileError(f"{path}: broken UTF-16 text at byte {error.start:,} (rule: UTF-8, latin-1 or "
                                  "UTF-16 text)") from error
    else:
        try:
            data.decode("utf-8")
            return path
        except UnicodeDecodeError:
            text = data.decode("utf-8", errors="mobility_latin1_fallback")
    scratch_dir.mkdir(parents=True, exist_ok=True)
    copy = scratch_dir / f"{path.stem}.utf8{path.suffix}"
    copy.write_text(text, encoding="utf-8")
    return copy


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


def create_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The `raw` schema and its load log. A step makes them before its loads start: loads
    running at once would conflict creating them (appending to one table at once is fine)."""
    con.execute("create schema if not exists raw")
    con.execute(
        """
        create table if not exists raw._ingest_log (
            table_name varchar, source_file varchar, sha256 varchar,
            row_count bigint, loaded_at timestamptz
        )
        """
    )


def record_load(con: duckdb.DuckDBPyConnection, table: str, file: str, sha256: str, rows: int) -> datetime:
    loaded_at = datetime.now(timezone.utc)
    con.execute(
        "insert into raw._ingest_log values (?, ?, ?, ?, ?)", [table, file, sha256, rows, loaded_at]
    )
    return loaded_at


def load_metadata(table: str, file: str, sha256: str, rows: int, loaded_at: datetime) -> dict:
    return {
        "table": MetadataValue.text(f"raw.{table}"),
        "dagster/row_count": MetadataValue.int(rows),
        "source_file": MetadataValue.path(file),
        "sha256": MetadataValue.text(sha256),
        "loaded_at": MetadataValue.timestamp(loaded_at),
    }


def write_raw_table(
    con: duckdb.DuckDBPyConnection,
    table: str,
    create: Callable[[duckdb.DuckDBPyConnection], None],
    source: str,
    sha256: str,
) -> dict:
    """Run `create` (which builds `raw.<table>`), check its GEOIDs and log the load, all in
    one transaction: a failure leaves the previous raw table as it was. Returns the metadata."""
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
    return load_metadata(table, source, sha256, rows, loaded_at)


def read_rds(path: Path):
    """The one data frame of an R data file (`saveRDS`), as pandas: how some publishers
    distribute tables (the deprivation index files)."""
    import pyreadr
    from pyreadr.custom_errors import LibrdataError, PyreadrError

    try:
        frames = pyreadr.read_r(str(path))
    except (LibrdataError, PyreadrError) as error:
        raise SourceFileError(f"{path}: cannot be read as an R data file: {error} "
                              "(rule: an R data file (.rds) holding one data frame)") from error
    if len(frames) != 1:
        raise SourceFileError(f"{path}: holds {len(frames)} objects (rule: an R data file (.rds) holding one data frame)")
    return next(iter(frames.values()))


def read_incoming(con: duckdb.DuckDBPyConnection, spec: SourceFile, path: Path, home: Path) -> Path:
    """Read the file into the temporary table `incoming`; returns the file the reader read."""
    if spec.reader == "rds":
        con.register("incoming_frame", read_rds(path))
        con.execute("create or replace temp table incoming as select * from incoming_frame")
        con.unregister("incoming_frame")
        return path
    readable = utf8_readable(path, home / "scratch")
    # One statement reads the file, into a temporary table whose columns are checked before
    # the select that pads GEOIDs runs on it: a `describe` of the file would sniff it again.
    try:
        con.execute(f"create or replace temp table incoming as select * from {reader_sql(spec, readable)}")
    except duckdb.Error as exc:
        reason = (csv_shape_problem(readable) if spec.reader == "csv" else None) or duckdb_reason(exc)
        raise SourceFileError(f"{path}: cannot be read as {spec.reader.upper()}: {reason}") from exc
    return readable


def load_source(spec: SourceFile, con: duckdb.DuckDBPyConnection, home: Path) -> dict:
    path = source_dir() / spec.path
    if spec.reader != "rds":
        check_text_file(path, f"raw.{spec.table} is loaded from it")
    elif not path.exists():
        raise SourceFileError(f"{path}: file not found (rule: raw.{spec.table} is loaded from it)")

    def create(con: duckdb.DuckDBPyConnection) -> None:
        readable = read_incoming(con, spec, path, home)
        check_columns(con, spec, "incoming", path, readable)
        check_numbers(con, spec, "incoming", path)
        con.execute(f"create or replace table raw.{spec.table} as select {spec.select} from incoming where {spec.where}")
        con.execute("drop table incoming")

    return write_raw_table(con, spec.table, create, str(path), file_sha256(path))


def source_file_spec(table: str, group: str, paths: list[str], description: str) -> AssetSpec:
    """The file(s) behind a raw table, shown in the lineage graph as an external asset."""
    return AssetSpec(
        key=AssetKey(["source_files", table]),
        group_name=group,
        description=description,
        metadata={"paths": MetadataValue.text(", ".join(paths))},
        kinds={"file"},
    )


@dataclass(frozen=True)
class CustomTable:
    """A raw table that code of its own loads (API responses, a wide file reshaped)."""

    table: str
    group: str
    description: str
    file_spec: AssetSpec
    files: Callable[[], list[Path]]  # what the next load reads, watched for changes
    load: Callable[[duckdb.DuckDBPyConnection, Path, Config], dict]  # (connection, home, config) -> metadata


class SourceGroup:
    """The raw tables of one source module, loaded by one step, several at once.

    The step can load any subset of its tables. A bad file does not stop the others: the
    step loads every good file, then fails naming every bad one."""

    def __init__(self, name: str, files: list[SourceFile], custom: Sequence[CustomTable] = (),
                 config: type[Config] = Config) -> None:
        self.name = name
        self.files = files
        self.custom = list(custom)
        self.config = config
        self.assets = [
            *(source_file_spec(s.table, s.group, [f"seeds/{s.path}"], s.provenance or s.description) for s in files),
            *(c.file_spec for c in self.custom),
            self._step(config),
        ]

    def declared_files(self) -> dict[str, list[Path]]:
        """Raw table -> the file(s) its next load reads."""
        return {s.table: [source_dir() / s.path] for s in self.files} | {c.table: c.files() for c in self.custom}

    def _step(self, config_class: type[Config]):
        loaders = {s.table: (lambda con, home, config, s=s: load_source(s, con, home)) for s in self.files}
        loaders |= {c.table: c.load for c in self.custom}
        specs = [
            AssetSpec(AssetKey(["raw", s.table]), group_name=s.group, description=s.description,
                      deps=[AssetKey(["source_files", s.table])], kinds={"duckdb"},
                      metadata={"source_file": MetadataValue.text(f"seeds/{s.path}")})
            for s in self.files
        ] + [
            AssetSpec(AssetKey(["raw", c.table]), group_name=c.group, description=c.description,
                      deps=[c.file_spec.key], kinds={"duckdb"})
            for c in self.custom
        ]

        @multi_asset(name=f"raw__{self.name}", specs=specs, can_subset=True, pool=BUILD_FILE_POOL)
        def _load(context: AssetExecutionContext, warehouse: Warehouse, config: config_class) -> Iterator[MaterializeResult]:
            home = Path(warehouse.home)
            tables = [spec.key.path[1] for spec in specs if spec.key in context.selected_asset_keys]
            failures = []
            with warehouse.connect() as con:
                create_raw_schema(con)

                def load(table: str) -> dict | str:
                    """The table's metadata, or what went wrong: a bad file stops its own table only."""
                    cursor = con.cursor()  # a connection of its own to the same database
                    try:
                        return loaders[table](cursor, home, config)
                    except SourceFileError as error:
                        return str(error)
                    except Exception as error:
                        context.log.error(f"raw.{table}: {traceback.format_exc()}")
                        return (f"raw.{table} could not be loaded: {type(error).__name__}: "
                                + (str(error).strip().splitlines() or [""])[0][:300])
                    finally:
                        cursor.close()

                # DuckDB reads a small file on about one core and releases the GIL: files load side by side.
                with ThreadPoolExecutor(LOADS_AT_ONCE) as loading:
                    for table, outcome in zip(tables, loading.map(load, tables)):
                        if isinstance(outcome, str):
                            failures.append(outcome)
                        else:
                            yield MaterializeResult(asset_key=AssetKey(["raw", table]), metadata=outcome)
            if failures:
                raise SourceFileError("\n".join(failures))

        return _load
