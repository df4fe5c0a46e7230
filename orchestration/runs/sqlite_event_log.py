"""The local Dagster instance's SQLite files without a disk flush per event.

Dagster's SQLite storage opens, commits and closes its database for every event, and each
commit and close flushes to disk: about ten flushes per event, some 8,000 in a build, which
cost more wall time than the SQL. With `synchronous=off` SQLite hands the writes to the
operating system and goes on. A crashed or killed process loses nothing (the operating
system still writes its buffers); only a power loss or a kernel crash can lose or damage
the run history, never the warehouse files. Deployments that need more keep their run
history in Postgres (`dagster-postgres`), which this leaves alone.

Dagster's SQLite event log also builds a new SQLAlchemy engine, and opens a new connection, for
every event it writes or reads, which costs more than the write itself (about 4 s of a 24 s
bundled build): `reuse_event_log_connections` keeps them instead.
"""

import os
import sqlite3
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Private Dagster API: the SQLite event log and its per-database connection context
# (dagster/_core/storage/event_log/sqlite/sqlite_event_log.py). tests/test_run_log.py fails when
# `_connect` is no longer how the storage reaches its databases.
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool

KEPT_DATABASES = 8  # a run's own database, the index, and a few runs read by the UI

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
    reuse_event_log_connections()


def _kept_engine(storage: SqliteEventLogStorage, shard: str) -> Engine:
    """The engine of one of the storage's databases: one connection, kept open, for the last
    few databases used (a forked child starts afresh: it must not use its parent's connections)."""
    kept = storage.__dict__.get("_kept_engines")
    if kept is None or kept[0] != os.getpid():
        kept = storage.__dict__["_kept_engines"] = (os.getpid(), OrderedDict())
    engines = kept[1]
    engine = engines.pop(shard, None)
    if engine is None:
        # Users take turns on the one connection under the storage's lock, from any thread.
        engine = create_engine(storage.conn_string_for_shard(shard), poolclass=StaticPool,
                               connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False})
        if shard not in storage._initialized_dbs:
            storage._initdb(engine)
            storage._initialized_dbs.add(shard)
    engines[shard] = engine  # the most recently used last
    while len(engines) > KEPT_DATABASES:
        engines.popitem(last=False)[1].dispose()
    return engine


@contextmanager
def _connect(self: SqliteEventLogStorage, shard: str) -> Iterator:
    with self._db_lock:
        with _kept_engine(self, shard).connect() as conn, conn.begin():
            yield conn


_has_table = SqliteEventLogStorage.has_table


def has_table(self: SqliteEventLogStorage, table_name: str) -> bool:
    """Asked before every check result is stored; a table, once there, stays."""
    tables = self.__dict__.setdefault("_tables_seen", set())
    if table_name not in tables and _has_table(self, table_name):
        tables.add(table_name)
    return table_name in tables


def reuse_event_log_connections() -> None:
    """Every SQLite event log this process opens keeps its connections (Dagster's opens a new
    engine per event). Each use is still its own transaction, so other processes (the webserver,
    the daemon) read and write the same files as before."""
    SqliteEventLogStorage._connect = _connect
    SqliteEventLogStorage.has_table = has_table
