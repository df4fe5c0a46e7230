"""Read-only access to the analysts' file, `MOBILITY_HOME/mobility.duckdb`.

`locked()` is what analysts' own SQL runs on: read-only, no file access (reading files, extensions),
a memory limit, a temporary folder of its own that is removed with it (never the
`mobility.duckdb.tmp/` folder any other client may leave beside the file), the marts schema on
the search path, and settings locked. Only queries reach it (`statements.py`).
The warehouse's own readers (export, brief, status) use `reader()`: read-only too, with file
access for writing their outputs.
"""

import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import ContextManager, Iterator

import duckdb

from orchestration import settings

# Analysts' queries: at most this much memory, then at most this much spilled to their own folder.
MEMORY_LIMIT = "4GiB"
SPILL_LIMIT = "20GiB"
LOCKED_DOWN = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "memory_limit": MEMORY_LIMIT,
    "max_temp_directory_size": SPILL_LIMIT,
}


class NotPublished(RuntimeError):
    """No analysts' file yet."""


def path() -> Path:
    return settings.published_db(settings.mobility_home())


@contextmanager
def _connect(config: dict) -> Iterator[duckdb.DuckDBPyConnection]:
    target = path()
    if not target.exists():
        raise NotPublished(f"no analysts' file at {target}: build the warehouse first (make warehouse)")
    con = duckdb.connect(str(target), read_only=True, config=config)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def locked() -> Iterator[duckdb.DuckDBPyConnection]:
    with tempfile.TemporaryDirectory(prefix="mobility-sql-") as spill, \
            _connect({**LOCKED_DOWN, "temp_directory": spill}) as con:
        # The search path is a session setting: set before the lock, which then keeps it.
        con.execute("set search_path = 'marts,main'")
        con.execute("set lock_configuration = true")
        yield con


def reader() -> ContextManager[duckdb.DuckDBPyConnection]:
    return _connect({})


def explain(error: duckdb.Error) -> tuple[str, bool]:
    """One line for a failed statement, and whether it was refused (rather than wrong). DuckDB's
    hints ("Did you mean ...", candidate columns) stay; the echo of the query and its caret go."""
    lines = str(error).strip().splitlines()
    said = " ".join(line.strip() for line in lines[:next((i for i, line in enumerate(lines) if line.startswith("LINE ")),
                                                         len(lines))] if line.strip())
    if isinstance(error, duckdb.PermissionException) or "operations are disabled by configuration" in said:
        return "refused (reading files): there is no file access here; query the marts", True
    if "read-only mode" in said:
        return "refused: the analysts' file is read-only", True
    if "configuration has been locked" in said:
        return "refused: settings are fixed here", True
    return said, False


def mart_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [name for (name,) in con.execute(
        "select table_name from duckdb_tables() where schema_name = 'marts' order by table_name").fetchall()]
