"""Row counts of the last published version, the baseline of the row-count rule.

`publish` records, in the analysts' file, how many rows every raw table, staging model and mart
had when it was published (`audit.row_counts`). Comparing with that, rather than with the
previous load, means a bad load that was refused cannot become the next load's baseline.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

AUDIT_TABLE = "audit.row_counts"


def published_db(home: Path) -> Path:
    return Path(home) / "mobility.duckdb"


def asset_id(asset_path: list[str]) -> str:
    return "/".join(asset_path)


def published_row_count(home: Path, asset_path: list[str]) -> int | None:
    """Rows the asset had at the last publish; None before the first publish or for a new asset."""
    path = published_db(home)
    if not path.exists():
        return None
    con = duckdb.connect(str(path), read_only=True)
    try:
        exists = con.execute(
            "select count(*) from duckdb_tables() where schema_name = 'audit' and table_name = 'row_counts'"
        ).fetchone()[0]
        if not exists:
            return None
        row = con.execute(f"select row_count from {AUDIT_TABLE} where asset_key = ?", [asset_id(asset_path)]).fetchone()
        return None if row is None else int(row[0])
    finally:
        con.close()
