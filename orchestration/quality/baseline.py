"""Row counts of the last published version, the baseline of the row-count rule.

`publish` records, in the analysts' file, how many rows every raw table and mart
had when it was published (`audit.row_counts`). Comparing with that, rather than with the
previous load, means a bad load that was refused cannot become the next load's baseline.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.settings import published_db

AUDIT_TABLE = "audit.row_counts"


def asset_id(asset_path: list[str]) -> str:
    return "/".join(asset_path)


def published_row_counts(home: Path, asset_paths: list[list[str]]) -> list[int | None]:
    """Rows each asset had at the last publish; None before the first publish or for a new asset."""
    path = published_db(home)
    if not path.exists():
        return [None] * len(asset_paths)
    con = duckdb.connect(str(path), read_only=True)
    try:
        exists = con.execute(
            "select count(*) from duckdb_tables() where schema_name = 'audit' and table_name = 'row_counts'"
        ).fetchone()[0]
        counts = dict(con.execute(f"select asset_key, row_count from {AUDIT_TABLE}").fetchall()) if exists else {}
    finally:
        con.close()
    return [counts.get(asset_id(p)) for p in asset_paths]
