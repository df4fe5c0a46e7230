"""The load log, `raw._ingest_log`: one row per load of a raw table (file, hash, rows, time),
written in the same transaction as the table it describes."""

from dataclasses import dataclass
from datetime import datetime, timezone

import duckdb


@dataclass(frozen=True)
class Load:
    """One load of `raw.<table>`, as the log records it."""

    table: str
    rows: int
    source_file: str
    sha256: str
    loaded_at: datetime


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
