"""dbt models as Dagster assets: one `@dbt_assets` step runs `dbt build` for every layer.

Blocking Great Expectations checks sit on raw tables (before the step) and marts (after it);
between layers, dbt's own tests gate their children inside the one `dbt build` by skipping
them. dbt runs inside the build process (`dbtRunner`): a dbt subprocess would import dbt
again and stream its log through a pipe for every build.
"""

import importlib
import shutil
import threading
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, Failure
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets
# Private dagster-dbt API: its public path (DbtCliResource.cli) always starts dbt as a subprocess
# and parses the stream; dbt runs in this process here, so its events go through the same classes
# (source: https://github.com/dagster-io/dagster/tree/master/python_modules/libraries/dagster-dbt).
# tests/test_upstream_canaries.py fails when their signatures or results change.
from dagster_dbt.asset_utils import get_updated_cli_invocation_params_for_context
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

from orchestration import settings
from orchestration.dbt.project import dbt_project, ensure_manifest
from orchestration.declarations.dbt_manifest import manifest
from orchestration.engines import engine
from orchestration.engines.build_file import BUILD_FILE_POOL
from orchestration.pilots.assets import city_of_intake_run

# dbt's events for a finished node: the only ones that become Dagster events.
RESULT_EVENTS = {"LogModelResult", "LogTestResult", "LogSeedResult", "LogSnapshotResult"}


class WarehouseTranslator(DagsterDbtTranslator):
    """Models are keyed `<schema>/<model>` and grouped by layer; dbt sources are the
    `raw/<table>` assets the ingestion modules produce, so lineage runs file to mart."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return AssetKey(["raw", dbt_resource_props["name"]])
        return AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "source":
            return None
        return dbt_resource_props["schema"]


TRANSLATOR = WarehouseTranslator()


def failure_message(result) -> str:
    """The failed models and tests with dbt's reason, and the models skipped because of them."""
    if result.exception is not None:
        return f"dbt build failed: {result.exception}"
    results = getattr(result.result, "results", [])
    failed = [f"  {r.node.resource_type} {r.node.name}: {str(r.message or r.status).strip()}"
              for r in results if r.status in ("error", "fail", "runtime error")]
    skipped = sorted(r.node.name for r in results if r.status == "skipped" and r.node.resource_type == "model")
    return "\n".join([f"dbt build failed ({len(failed)} failed); models skipped: {', '.join(skipped) or 'none'}",
                      *failed])


def preload_in_background() -> None:
    """Import dbt's runner and adapter from a thread while the first steps run: the import is
    seconds of Python, and the ingestion steps spend theirs in DuckDB, which releases the GIL."""

    module, credentials = engine.current().dbt_credentials

    def preload() -> None:
        adapter_credentials = getattr(importlib.import_module(module), credentials)
        import dbt.cli.main  # noqa: F401
        from dbt.contracts.project import PackageConfig, Project, ProjectFlags

        # dbt validates the profile and project against JSON schemas it builds on first use
        # (cached per class): a few tenths of a second of the dbt step otherwise.
        for contract in (adapter_credentials, Project, ProjectFlags, PackageConfig):
            contract.json_schema()

    threading.Thread(target=preload, name="preload-dbt", daemon=True).start()


def dbt_build(context: AssetExecutionContext, dbt: DbtCliResource) -> Iterator:
    """`dbt build` of the selected models in this process; one Dagster event per finished
    model or test, as dagster-dbt translates them, then a step failure naming what failed."""
    from dbt.cli.main import dbtRunner
    from dbt_common.events.functions import msg_to_dict

    params = get_updated_cli_invocation_params_for_context(context, manifest(), TRANSLATOR)
    # Each run gets its own artifacts folder, seeded with the partial-parse state.
    target = settings.dbt_target_dir() / f"{context.op_def.name}-{context.run.run_id[:8]}"
    target.mkdir(parents=True, exist_ok=True)
    parse_state = settings.dbt_target_dir() / "partial_parse.msgpack"
    if parse_state.exists():
        shutil.copy(parse_state, target / parse_state.name)
    # A large subset is selected through a generated selector in a temporary project copy.
    project_dir = params.dbt_project.project_dir if params.dbt_project else dbt.project_dir
    # The results travel in memory: no JSON artifacts, and dbt.log keeps warnings and errors only.
    args = ["build", "--quiet", "--no-write-json", "--log-level-file", "warn", "--project-dir", str(project_dir),
            "--profiles-dir", str(dbt.profiles_dir), "--target-path", str(target), "--log-path", str(target),
            *params.selection_args]
    if params.indirect_selection:
        args += ["--indirect-selection", params.indirect_selection]
    # Unit tests check model logic on fixed inputs, not the data: `make test` runs them.
    args += ["--exclude-resource-type", "unit_test"]
    # A city's intake run rebuilds the pilots whose inputs changed (incremental models); every
    # other run rebuilds those models whole.
    if city_of_intake_run(context) is None:
        args.append("--full-refresh")

    finished: list[dict] = []  # appended from dbt's worker threads

    def on_event(msg) -> None:
        if msg.info.name in RESULT_EVENTS:
            finished.append(msg_to_dict(msg))

    builder = engine.current()
    threads = builder.dbt_threads()
    if threads:
        context.log.info(f"dbt builds {threads} model(s) at a time: the raw tables hold over "
                         f"{settings.DBT_ONE_MODEL_AT_A_TIME_ROWS:,} rows ({settings.DBT_THREADS_ENV} overrides)")
        args += ["--threads", str(threads)]
    builder.before_dbt(context.log.info)
    try:
        result = dbtRunner(callbacks=[on_event]).invoke(args)
    finally:
        builder.after_dbt()
    for raw in finished:
        event = DbtCoreCliEventMessage(raw_event=raw, event_history_metadata={})
        yield from event.to_default_asset_events(manifest(), TRANSLATOR, context, target, dbt_project())
    if not result.success:
        raise Failure(failure_message(result))
    # A failed run's compiled SQL and dbt.log stay for inspection.
    shutil.rmtree(target, ignore_errors=True)


@cache
def dbt_model_assets() -> AssetsDefinition:
    """Every dbt model as an asset of the one `dbt_models` step (the project is parsed first
    when it has no manifest yet)."""
    ensure_manifest()

    @dbt_assets(manifest=dbt_project().manifest_path, project=dbt_project(), name="dbt_models",
                dagster_dbt_translator=TRANSLATOR, pool=BUILD_FILE_POOL)
    def dbt_models(context: AssetExecutionContext, dbt: DbtCliResource):
        yield from dbt_build(context, dbt)

    return dbt_models
