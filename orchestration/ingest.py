"""Loading source files into DuckDB's `raw` schema with DuckDB's own readers.

Every source is declared once as a `SourceFile`; `raw_asset` turns it into a Dagster asset
that loads it, checks its structure, and records row count, file, hash and load time.
A bad file raises `SourceFileError` naming the file, the row or column, and the rule; the
file itself is never modified, and the raw table is replaced only when the load succeeds.
"""

from __future__ import annotations

import codecs
import hashlib
import os
from dataclasses import dataclass, field
from typing import Callable
from datetime import datetime, timezone
from pathlib import Path

import duckdb
from dagster import AssetKey, AssetSpec, AssetsDefinition, MaterializeResult, MetadataValue, asset

from orchestration import settings
from orchestration.resources import Warehouse


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
    required_columns: tuple[str, ...]
    geoid_widths: dict[str, int] = field(default_factory=dict)  # output column -> digits
    read_options: str = "header = true"
    reader: str = "csv"
    where: str = "true"
    provenance: str = ""


def source_dir() -> Path:
    """`MOBILITY_SOURCE_DIR` lets a user point at freshly downloaded files of the same names."""
    return Path(os.environ.get("MOBILITY_SOURCE_DIR", settings.SEEDS_DIR))


def pad(column: str, width: int) -> str:
    """SQL that turns an integer-typed or short GEOID into a zero-padded string. A value
    longer than `width` is kept whole (lpad alone would truncate it) so the check sees it."""
    text = f"cast({column} as varchar)"
    return f"lpad({text}, cast(greatest(length({text}), {width}) as integer), '0')"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _latin1_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("mobility_latin1_fallback", _latin1_fallback)


def utf8_readable(path: Path, scratch_dir: Path) -> Path:
    """The file itself when it is clean UTF-8, else a UTF-8 copy in `scratch_dir`.

    Some Census and Geocorr files are latin-1, and one mixes latin-1 and UTF-8 lines:
    each undecodable byte is read as latin-1, every valid UTF-8 sequence is kept.
    """
    data = path.read_bytes()
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
    return f"read_{spec.reader}('{path.as_posix()}', {spec.read_options})"


def check_columns(spec: SourceFile, path: Path, shown: Path) -> None:
    try:
        described = duckdb.connect().execute(f"describe select * from {reader_sql(spec, path)}").fetchall()
    except duckdb.Error as exc:
        raise SourceFileError(f"{shown}: cannot be read as {spec.reader.upper()}: {exc}") from exc
    present = {row[0] for row in described}
    missing = [c for c in spec.required_columns if c not in present]
    if missing:
        raise SourceFileError(
            f"{shown}: missing required column(s) {', '.join(missing)} "
            f"(rule: {spec.table} needs columns {', '.join(spec.required_columns)})"
        )


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


def record_load(con: duckdb.DuckDBPyConnection, table: str, file: str, sha256: str, rows: int) -> datetime:
    loaded_at = datetime.now(timezone.utc)
    con.execute(
        """
        create table if not exists raw._ingest_log (
            table_name varchar, source_file varchar, sha256 varchar,
            row_count bigint, loaded_at timestamptz
        )
        """
    )
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
    warehouse: Warehouse,
    table: str,
    create: Callable[[duckdb.DuckDBPyConnection], None],
    source: str,
    sha256: str,
    geoid_widths: dict[str, int] | None = None,
) -> MaterializeResult:
    """Run `create` (which builds `raw.<table>`), check its GEOIDs and log the load, all in
    one transaction: a failure leaves the previous raw table as it was."""
    with warehouse.connect() as con:
        con.execute("create schema if not exists raw")
        con.execute("begin transaction")
        try:
            create(con)
            check_geoids(con, f"raw.{table}", geoid_widths or {}, source)
            rows = con.execute(f"select count(*) from raw.{table}").fetchone()[0]
            loaded_at = record_load(con, table, source, sha256, rows)
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
    return MaterializeResult(metadata=load_metadata(table, source, sha256, rows, loaded_at))


def load_source(spec: SourceFile, warehouse: Warehouse) -> MaterializeResult:
    path = source_dir() / spec.path
    if not path.exists():
        raise SourceFileError(f"{path}: file not found (rule: raw.{spec.table} is loaded from it)")
    readable = utf8_readable(path, Path(warehouse.home) / "scratch")
    check_columns(spec, readable, path)

    def create(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(
            f"create or replace table raw.{spec.table} as "
            f"select {spec.select} from {reader_sql(spec, readable)} where {spec.where}"
        )

    return write_raw_table(warehouse, spec.table, create, str(path), file_sha256(path), spec.geoid_widths)


def source_file_spec(table: str, group: str, paths: list[str], description: str) -> AssetSpec:
    """The file(s) behind a raw table, shown in the lineage graph as an external asset."""
    return AssetSpec(
        key=AssetKey(["source_files", table]),
        group_name=group,
        description=description,
        metadata={"paths": MetadataValue.text(", ".join(f"seeds/{p}" for p in paths))},
        kinds={"file"},
    )


def raw_asset(spec: SourceFile) -> tuple[AssetSpec, AssetsDefinition]:
    file_spec = source_file_spec(spec.table, spec.group, [spec.path], spec.provenance or spec.description)

    @asset(
        key=AssetKey(["raw", spec.table]),
        group_name=spec.group,
        description=spec.description,
        deps=[file_spec.key],
        kinds={"duckdb"},
        metadata={"source_file": MetadataValue.text(f"seeds/{spec.path}")},
    )
    def _load(warehouse: Warehouse) -> MaterializeResult:
        return load_source(spec, warehouse)

    return file_spec, _load
