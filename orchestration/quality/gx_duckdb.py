"""Great Expectations 1.x validating tables in a DuckDB file through its SQL data source.

Out of the box GX cannot validate DuckDB tables with the pinned versions:

* every aggregate metric fails with "list index out of range": GX executes a query, returns
  the connection to the pool, then reads the result, which DuckDB has already discarded
  (https://github.com/fivetran/great_expectations/issues/11579, and #10738; GX's own DuckDB
  engine, https://github.com/fivetran/great_expectations/pull/12084, is not released).
  `install()` makes GX read every DuckDB result while its connection is still open.
* `expect_column_values_to_match_regex` (and its siblings) raise "Regex is not supported for
  dialect duckdb": GX knows no DuckDB dialect module. `install()` teaches them DuckDB's
  `regexp_matches` (a search, as in GX's pandas engine, so anchor patterns with ^ and $).
* GX reads a table's columns through SQLAlchemy reflection, which duckdb-engine answers by
  emulating PostgreSQL's catalog: about a tenth of a second a table, and broken outright by
  SQLAlchemy 2.0.45+ on DuckDB 1.x (https://github.com/Mause/duckdb_engine/issues/1379, #1388).
  `install()` reads them from DuckDB's own `duckdb_columns()` instead.

All three changes apply to DuckDB engines only; every other dialect runs GX's own code. Each
replacement keeps GX's function as `__wrapped__`; `tests/test_upstream_canaries.py` fails when
a replaced function changes or GX fixes what a change works around.
`duckdb_source()` opens a read-only data source and disposes both of GX's SQLAlchemy engines
afterwards, so the next writer in the process can take the file.
"""

from __future__ import annotations

import functools
import importlib
import sys
import types
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlalchemy

from orchestration import settings

DIALECT = "duckdb"
# GX passes `execution_engine.dialect_module` to regex builders and type lookups. It is None
# for DuckDB; this stand-in carries SQLAlchemy's generic types (what GX falls back to for
# None) and lets the regex builder recognise DuckDB.
duckdb_dialect_module = types.ModuleType("mobility_duckdb_dialect")
duckdb_dialect_module.__dict__.update({k: v for k, v in vars(sqlalchemy).items() if not k.startswith("_")})

# Where GX builds a regex condition per dialect; every GX module that imported it gets ours.
REGEX_BUILDER_MODULE = "great_expectations.expectations.metrics.util"

# DuckDB type names whose reflected SQLAlchemy type is listed under another name.
REFLECTED_AS = {"double": "float", "decimal": "numeric"}
COLUMN_TYPES_MODULE = "great_expectations.expectations.metrics.table_metrics.table_column_types"


_installed = False


def install() -> None:
    """Apply the DuckDB fixes to GX (idempotent)."""
    global _installed
    if _installed:
        return
    from great_expectations.execution_engine.sqlalchemy_execution_engine import SqlAlchemyExecutionEngine

    gx_init = SqlAlchemyExecutionEngine.__init__
    gx_execute_query = SqlAlchemyExecutionEngine.execute_query

    @functools.wraps(gx_init)
    def __init__(self, *args, **kwargs):
        gx_init(self, *args, **kwargs)
        if self.dialect_name == DIALECT:
            self.dialect_module = duckdb_dialect_module

    @functools.wraps(gx_execute_query)
    def execute_query(self, query):
        if self.dialect_name != DIALECT:
            return gx_execute_query(self, query)
        with self.get_connection() as connection:
            # DuckDB draws a progress bar on stdout for queries over two seconds; a check has none.
            connection.exec_driver_sql("set enable_progress_bar = false")
            result = self._execute_query_with_recovery(connection, query)
            # Read every row now: once the connection is back in the pool, DuckDB drops them.
            frozen = result.freeze()
        return frozen()

    SqlAlchemyExecutionEngine.__init__ = __init__
    SqlAlchemyExecutionEngine.execute_query = execute_query

    gx_regex = importlib.import_module(REGEX_BUILDER_MODULE).get_dialect_regex_expression

    @functools.wraps(gx_regex)
    def get_dialect_regex_expression(column, regex, dialect, positive=True):
        if dialect is duckdb_dialect_module:
            match = sqlalchemy.func.regexp_matches(column, sqlalchemy.literal(regex))
            return match if positive else sqlalchemy.not_(match)
        return gx_regex(column, regex, dialect, positive)

    for name, module in list(sys.modules.items()):
        if name.startswith("great_expectations.") and getattr(module, "get_dialect_regex_expression", None) is gx_regex:
            module.get_dialect_regex_expression = get_dialect_regex_expression

    column_types = importlib.import_module(COLUMN_TYPES_MODULE)
    gx_column_metadata = column_types.get_sqlalchemy_column_metadata

    @functools.wraps(gx_column_metadata)
    def get_sqlalchemy_column_metadata(execution_engine, table_selectable, schema_name=None):
        if execution_engine.dialect_name != DIALECT or not isinstance(table_selectable, str):
            return gx_column_metadata(execution_engine, table_selectable, schema_name)
        return duckdb_columns(execution_engine, str(table_selectable), schema_name or "main")

    column_types.get_sqlalchemy_column_metadata = get_sqlalchemy_column_metadata
    _installed = True


def duckdb_columns(execution_engine, table: str, schema: str) -> list[dict]:
    """Column names and SQLAlchemy types as GX's reflection reports them, from DuckDB's catalog."""
    query = sqlalchemy.text(
        "select column_name, data_type, is_nullable from duckdb_columns() "
        "where schema_name = :schema and table_name = :table order by column_index"
    ).bindparams(schema=schema, table=table)
    known = execution_engine.engine.dialect.ischema_names
    columns = []
    for name, data_type, nullable in execution_engine.execute_query(query).fetchall():
        base = data_type.split("(")[0].lower()
        type_ = known.get(REFLECTED_AS.get(base, base), sqlalchemy.types.NullType)
        columns.append({"name": name, "type": type_(), "nullable": nullable, "primary_key": False})
    return columns


@contextmanager
def duckdb_source(context, name: str, db_path: Path) -> Iterator:
    """A GX SQL data source reading `db_path` read-only; both of its engines are disposed on exit."""
    install()
    source = context.data_sources.add_sql(
        name,
        connection_string=f"duckdb:///{Path(db_path).as_posix()}",
        kwargs={"connect_args": {"read_only": True, "config": settings.duckdb_config()}},
    )
    try:
        yield source
    finally:
        dispose(source)


def dispose(source) -> None:
    """GX keeps one engine on the data source and another on its execution engine."""
    engines = [source._engine]
    if source._execution_engine is not None:
        engines += [source._execution_engine.engine, getattr(source._execution_engine, "_engine_backup", None)]
    for engine in engines:
        if engine is not None and hasattr(engine, "dispose"):
            engine.dispose()
