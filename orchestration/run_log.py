"""The local Dagster instance's SQLite files without a disk flush per event.

Dagster's SQLite storage opens, commits and closes its database for every event, and each
commit and close flushes to disk: about ten flushes per event, some 8,000 in a build, which
cost more wall time than the SQL. With `synchronous=off` SQLite hands the writes to the
operating system and goes on. A crashed or killed process loses nothing (the operating
system still writes its buffers); only a power loss or a kernel crash can lose or damage
the run history, never the warehouse files. Deployments that need more keep their run
history in Postgres (`dagster-postgres`), which this leaves alone.
"""

import os
import sqlite3
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine

_folders: set[str] = set()
unsynced_connections = 0  # read by a test: it stays 0 if Dagster stops opening SQLite through SQLAlchemy


def _unsynced(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    path = os.path.realpath(dbapi_connection.execute("pragma database_list").fetchone()[2])
    if any(path.startswith(folder) for folder in _folders):
        global unsynced_connections
        dbapi_connection.execute("pragma synchronous=off")
        unsynced_connections += 1


def skip_flushes_under(instance_dir: Path) -> None:
    """Apply to every SQLite database under `instance_dir` that this process opens from now on."""
    _folders.add(os.path.realpath(instance_dir) + "/")
    if not event.contains(Engine, "connect", _unsynced):
        event.listen(Engine, "connect", _unsynced)
