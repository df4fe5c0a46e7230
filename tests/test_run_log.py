"""The local Dagster instance writes its run history without a disk flush per event."""

import sqlalchemy
from dagster import DagsterInstance, EventLogEntry

from orchestration import settings
from orchestration.runs import sqlite_event_log as run_log


def synchronous(path) -> int:
    engine = sqlalchemy.create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        return connection.execute(sqlalchemy.text("pragma synchronous")).scalar()


def test_only_the_instance_databases_skip_flushes(tmp_path):
    inside = settings.dagster_home() / "scratch_check.db"
    try:
        assert synchronous(inside) == 0  # off
    finally:
        inside.unlink(missing_ok=True)
    assert synchronous(tmp_path / "elsewhere.db") == 2  # SQLite's default: full


def test_dagster_storage_opens_its_databases_through_the_hook():
    # A canary: this fails when Dagster's SQLite storage no longer connects through
    # SQLAlchemy, and the setting silently stops applying.
    before = run_log.unsynced_connections
    with DagsterInstance.get() as instance:
        instance.store_event(EventLogEntry(error_info=None, level=20, user_message="hello", run_id="run-log-check",
                                           timestamp=0.0, dagster_event=None))
        assert [e.user_message for e in instance.all_logs("run-log-check")] == ["hello"]
    assert run_log.unsynced_connections > before


def test_the_instance_keeps_its_event_log_connections_open_between_events():
    # A canary as well: the storage reaches its databases through `_connect(shard)`, as Dagster's
    # SQLite event log does; if Dagster stops calling it, the count below stays at zero.
    with DagsterInstance.get() as instance:
        opened_before = run_log.unsynced_connections
        for n in range(5):
            instance.store_event(EventLogEntry(error_info=None, level=20, user_message=f"event {n}",
                                               run_id="reuse-check", timestamp=float(n), dagster_event=None))
        assert [e.user_message for e in instance.all_logs("reuse-check")] == [f"event {n}" for n in range(5)]
        # Five writes and a read of one run's database: one connection, opened once.
        assert run_log.unsynced_connections - opened_before == 1
