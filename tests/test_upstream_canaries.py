"""Canaries for the private APIs the warehouse relies on. Each fails, saying what to re-check,
when an override no longer applies: the replaced function or attribute is gone or changed its
signature, or the upstream bug it works around is fixed (then the override can go).

| override | where | upstream |
|---|---|---|
| GX reads DuckDB results before returning the connection | quality/gx_duckdb.py | https://github.com/fivetran/great_expectations/issues/11579 (#10738, PR #12084) |
| GX builds DuckDB regex conditions | quality/gx_duckdb.py | GX has no DuckDB dialect module; PR #12084 adds a DuckDB engine |
| GX reads columns from duckdb_columns() | quality/gx_duckdb.py | https://github.com/Mause/duckdb_engine/issues/1379 (#1388) |
| GX data source engines disposed | quality/gx_duckdb.py | GX keeps two engines per SQL data source (`_engine`, `_execution_engine`) |
| dbt events from an in-process dbtRunner | dbt/assets.py | dagster-dbt streams events from a dbt subprocess only |
| dbt-duckdb releases the file after a run | dbt/assets.py | https://github.com/duckdb/dbt-duckdb/issues/616 |
"""

import importlib
import inspect

import duckdb
import pytest
import sqlalchemy

from orchestration.quality import gx_duckdb
from orchestration.quality.runner import validate
from orchestration.quality.suites import Rule, Suite

GX_DUCKDB = "orchestration/quality/gx_duckdb.py"


def parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


@pytest.fixture
def duckdb_file(tmp_path):
    path = tmp_path / "canary.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema raw")
    con.execute("create table raw.places as select '4075000' as city_geoid, 413066 as population")
    con.close()
    return path


@pytest.fixture
def gx_engine(duckdb_file):
    """GX's SQL execution engine on a DuckDB file, with the overrides installed."""
    from great_expectations.execution_engine.sqlalchemy_execution_engine import SqlAlchemyExecutionEngine

    gx_duckdb.install()
    engine = SqlAlchemyExecutionEngine(connection_string=f"duckdb:///{duckdb_file}",
                                       connect_args={"read_only": True})
    yield engine
    engine.engine.dispose()


def test_gx_still_loses_duckdb_results_once_the_connection_is_back_in_the_pool(gx_engine):
    from great_expectations.execution_engine.sqlalchemy_execution_engine import SqlAlchemyExecutionEngine

    query = sqlalchemy.text("select population from raw.places")
    gx_execute_query = SqlAlchemyExecutionEngine.execute_query.__wrapped__
    assert parameters(gx_execute_query) == ["self", "query"], (
        f"GX changed SqlAlchemyExecutionEngine.execute_query{inspect.signature(gx_execute_query)}: "
        f"re-check the execute_query override in {GX_DUCKDB}")
    assert parameters(SqlAlchemyExecutionEngine._execute_query_with_recovery) == ["connection", "query"], (
        f"GX changed _execute_query_with_recovery, which the execute_query override in {GX_DUCKDB} calls")
    assert gx_execute_query(gx_engine, query).fetchall() == [], (
        "GX's own execute_query now returns DuckDB rows (fivetran/great_expectations#11579 fixed): "
        f"the execute_query override in {GX_DUCKDB} can go")
    assert gx_engine.execute_query(query).fetchall() == [(413066,)]


def test_gx_still_has_no_duckdb_dialect_module_or_regex(duckdb_file, gx_engine):
    from great_expectations.execution_engine.sqlalchemy_execution_engine import SqlAlchemyExecutionEngine

    gx_init = SqlAlchemyExecutionEngine.__init__.__wrapped__
    plain = SqlAlchemyExecutionEngine.__new__(SqlAlchemyExecutionEngine)
    gx_init(plain, connection_string=f"duckdb:///{duckdb_file}", connect_args={"read_only": True})
    plain.engine.dispose()
    assert plain.dialect_name == "duckdb" and plain.dialect_module is None, (
        f"GX now sets a dialect module for DuckDB ({plain.dialect_module}): the __init__ override in {GX_DUCKDB} "
        "may go, with the regex override if GX's regex builder knows it")
    assert gx_engine.dialect_module is gx_duckdb.duckdb_dialect_module

    util = importlib.import_module(gx_duckdb.REGEX_BUILDER_MODULE)
    gx_regex = util.get_dialect_regex_expression.__wrapped__
    assert parameters(gx_regex) == ["column", "regex", "dialect", "positive"], (
        f"GX changed get_dialect_regex_expression{inspect.signature(gx_regex)}: re-check the regex override in {GX_DUCKDB}")
    column = sqlalchemy.column("city_geoid")
    for dialect in (None, gx_engine.engine.dialect):
        assert gx_regex(column, "^[0-9]{7}$", dialect) is None, (
            f"GX now builds regex conditions for DuckDB: the regex override in {GX_DUCKDB} can go")
    assert str(util.get_dialect_regex_expression(column, "^4", gx_duckdb.duckdb_dialect_module)) == \
        "regexp_matches(city_geoid, :param_1)"


def test_gx_reads_table_columns_through_the_replaced_function(duckdb_file, monkeypatch):
    gx_duckdb.install()
    column_types = importlib.import_module(gx_duckdb.COLUMN_TYPES_MODULE)
    gx_metadata = column_types.get_sqlalchemy_column_metadata.__wrapped__
    assert parameters(gx_metadata) == ["execution_engine", "table_selectable", "schema_name"], (
        f"GX changed get_sqlalchemy_column_metadata{inspect.signature(gx_metadata)}: "
        f"re-check the column override in {GX_DUCKDB}")
    asked = []
    read = gx_duckdb.duckdb_columns
    monkeypatch.setattr(gx_duckdb, "duckdb_columns", lambda engine, table, schema: asked.append((schema, table))
                        or read(engine, table, schema))
    suite = Suite(schema="raw", table="places", description="", files=(duckdb_file,), rules=(
        Rule(type="expect_table_columns_to_match_ordered_list", kwargs={"column_list": ["city_geoid", "population"]},
             severity="error", rule="columns"),))
    (outcome,) = validate(suite, duckdb_file, {"published_row_count": 0}).outcomes
    assert outcome.success, outcome
    assert ("raw", "places") in asked, (
        f"GX no longer reads table columns through get_sqlalchemy_column_metadata: the column override in {GX_DUCKDB} "
        "does not apply any more (columns come from slow reflection again)")


def test_gx_sql_data_source_still_keeps_the_engines_we_dispose(duckdb_file):
    import great_expectations as gx

    with gx_duckdb.duckdb_source(gx.get_context(mode="ephemeral"), "canary", duckdb_file) as source:
        engine = source.get_execution_engine()
        missing = [name for name, owner in (("_engine", source), ("_execution_engine", source),
                                            ("_engine_backup", engine)) if not hasattr(owner, name)]
        assert missing == [], f"GX renamed {missing}: dispose() in {GX_DUCKDB} no longer frees the file"


def test_dagster_dbt_still_builds_invocation_params_the_way_dbt_py_reads_them():
    from dagster_dbt.asset_utils import get_updated_cli_invocation_params_for_context

    from orchestration.dbt.assets import TRANSLATOR
    from orchestration.declarations.dbt_manifest import manifest

    assert parameters(get_updated_cli_invocation_params_for_context)[:3] == [
        "context", "manifest", "dagster_dbt_translator"], (
        "dagster-dbt changed get_updated_cli_invocation_params_for_context"
        f"{inspect.signature(get_updated_cli_invocation_params_for_context)}: re-check dbt_build in orchestration/dbt/assets.py")
    params = get_updated_cli_invocation_params_for_context(None, manifest(), TRANSLATOR)
    assert (list(params.selection_args), params.indirect_selection, params.dbt_project) == ([], None, None), (
        "dagster-dbt's invocation params changed shape: re-check dbt_build in orchestration/dbt/assets.py")


def test_dagster_dbt_turns_an_in_process_dbt_event_into_a_materialization():
    """The path dbt/assets.py takes: dbt's event as its callback receives it, through dagster-dbt's class."""
    from dagster import AssetKey, AssetMaterialization
    from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage
    from dbt.events.types import LogModelResult
    from dbt_common.events.base_types import msg_from_base_event
    from dbt_common.events.functions import msg_to_dict

    from orchestration.dbt.assets import RESULT_EVENTS, TRANSLATOR
    from orchestration.declarations.dbt_manifest import manifest

    node = {"node_path": "marts/dim_city.sql", "node_name": "dim_city", "unique_id": "model.mobility.dim_city",
            "resource_type": "model", "materialized": "table", "node_status": "success",
            "node_started_at": "2026-01-05T06:00:00", "node_finished_at": "2026-01-05T06:00:02"}
    event = msg_from_base_event(LogModelResult(description="sql table model marts.dim_city", status="OK", index=1,
                                               total=1, execution_time=2.0, node_info=node))
    assert event.info.name in RESULT_EVENTS
    raw = msg_to_dict(event)
    (materialization,) = DbtCoreCliEventMessage(raw_event=raw, event_history_metadata={}).to_default_asset_events(
        manifest(), TRANSLATOR, None, None, None)
    assert isinstance(materialization, AssetMaterialization), (
        "dagster-dbt no longer turns a dbt LogModelResult into a materialization: re-check dbt_build in orchestration/dbt/assets.py")
    assert materialization.asset_key == AssetKey(["marts", "dim_city"])
    assert materialization.metadata["status"].value == "success"


def test_dbt_duckdb_still_offers_closing_its_connections():
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    assert inspect.ismethod(DuckDBConnectionManager.close_all_connections) and \
        parameters(DuckDBConnectionManager.close_all_connections) == [], (
            "dbt-duckdb changed DuckDBConnectionManager.close_all_connections (duckdb/dbt-duckdb#616): "
            "re-check how orchestration/dbt/assets.py releases the build file after a run")
    assert hasattr(DuckDBConnectionManager, "_ENV"), "dbt-duckdb no longer keeps a shared environment (_ENV)"
    kept = DuckDBConnectionManager._ENV
    DuckDBConnectionManager._ENV = object()
    try:
        DuckDBConnectionManager.close_all_connections()
        assert DuckDBConnectionManager._ENV is None, "close_all_connections no longer drops dbt-duckdb's environment"
    finally:
        DuckDBConnectionManager._ENV = kept
