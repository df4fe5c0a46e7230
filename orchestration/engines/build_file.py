"""Dagster resources. Configured from the environment with local defaults."""

import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb
from dagster import ConfigurableResource

from orchestration import settings

# Every step that opens the build file runs in this Dagster pool, limited to one step at a time
# across runs (`concurrency` in the instance's dagster.yaml, see settings): a sensor's run and a
# manual run then queue for the file instead of failing on DuckDB's single-writer lock.
BUILD_FILE_POOL = "build_file"


class Warehouse(ConfigurableResource):
    """The build DuckDB file under `MOBILITY_HOME`.

    Connections are short-lived: each step opens, writes and closes, so that the next step
    (a dbt subprocess, a check) can take the file's write lock.
    """

    home: str

    @property
    def build_db(self) -> Path:
        return Path(self.home) / "build.duckdb"

    lock_wait_seconds: float = 30.0

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        self.build_db.parent.mkdir(parents=True, exist_ok=True)
        con = connect_waiting(self.build_db, read_only, self.lock_wait_seconds)
        try:
            yield con
        finally:
            con.close()


def connect_waiting(path: Path, read_only: bool, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting out a short-lived lock held by another process (a data
    engineer's query, a sensor) instead of failing the step at once."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=settings.duckdb_config())
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.25)


def default_warehouse() -> Warehouse:
    return Warehouse(home=str(settings.mobility_home()))
