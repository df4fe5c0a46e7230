"""Dagster resources. Configured from the environment with local defaults."""

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb
from dagster import ConfigurableResource

from orchestration import settings


class Warehouse(ConfigurableResource):
    """The build DuckDB file under `MOBILITY_HOME`.

    Connections are short-lived: each step opens, writes and closes, so that the next step
    (a dbt subprocess, a check) can take the file's write lock.
    """

    home: str

    @property
    def build_db(self) -> Path:
        return Path(self.home) / "build.duckdb"

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        self.build_db.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(self.build_db), read_only=read_only)
        try:
            yield con
        finally:
            con.close()


def default_warehouse() -> Warehouse:
    return Warehouse(home=str(settings.mobility_home()))
