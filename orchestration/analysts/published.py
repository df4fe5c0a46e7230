"""Read-only access to the analysts' file, `MOBILITY_HOME/mobility.duckdb`.

`locked()` is what analysts' own SQL runs on: read-only, no file access (no ATTACH, COPY ... TO,
reading files or installing extensions) and settings locked so none of that can be switched back
on. The warehouse's own readers (export, brief, status) use `reader()`: read-only too, with file
access for writing their outputs.
"""

from contextlib import contextmanager
from pathlib import Path
from typing import ContextManager, Iterator

import duckdb

from orchestration import settings

LOCKED_DOWN = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
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


def locked() -> ContextManager[duckdb.DuckDBPyConnection]:
    return _connect(LOCKED_DOWN)


def reader() -> ContextManager[duckdb.DuckDBPyConnection]:
    return _connect({})


def explain(error: duckdb.Error) -> tuple[str, bool]:
    """One line for a failed statement, and whether it was refused (rather than wrong)."""
    first = str(error).strip().splitlines()[0]
    if isinstance(error, duckdb.PermissionException) or "operations are disabled by configuration" in first:
        return ("refused: file access is off here (no ATTACH, COPY ... TO, reading files or INSTALL); "
                "`mobility export` writes files"), True
    if "read-only mode" in first:
        return "refused: the analysts' file is read-only (no CREATE, INSERT, UPDATE, DELETE, DROP ...)", True
    if "configuration has been locked" in first:
        return "refused: settings cannot be changed here", True
    return first, False


def mart_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [name for (name,) in con.execute(
        "select table_name from duckdb_tables() where schema_name = 'marts' order by table_name").fetchall()]
