"""dbt models as Dagster assets, one `@dbt_assets` definition (one `dbt build`) per step.

Staging runs as its own step so that the blocking checks on staging models stop everything
downstream of them (inside one dbt step, every selected model would already have run by the
time a check could object). Intermediate models have no suites of their own: their dbt tests
gate the marts inside the same `dbt build`, so the two layers share a step and a dbt start-up.
"""

import importlib.metadata
import json
import shutil
from collections.abc import Mapping
from functools import cached_property
from typing import Any

from dagster import AssetExecutionContext, AssetKey
from packaging import version
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from orchestration import settings

settings.export_environment()

dbt_project = DbtProject(
    project_dir=settings.DBT_PROJECT_DIR,
    profiles_dir=settings.DBT_PROJECT_DIR,
    target_path=settings.dbt_target_dir(),
)

STEPS = {"staging": ("staging",), "marts": ("intermediate", "marts")}


def ensure_manifest() -> None:
    """Parse the project once when no manifest exists yet (`make manifest` refreshes it)."""
    if not dbt_project.manifest_path.exists():
        dbt_project.preparer.prepare(dbt_project)


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


def step_assets(step: str, layers: tuple[str, ...]):
    @dbt_assets(
        manifest=dbt_project.manifest_path,
        project=dbt_project,
        select=" ".join(f"path:models/{layer}" for layer in layers),
        name=f"dbt_{step}",
        dagster_dbt_translator=WarehouseTranslator(),
    )
    def _build(context: AssetExecutionContext, dbt: DbtCliResource):
        invocation = dbt.cli(["build"], context=context)
        yield from invocation.stream()
        # Each run gets its own artifacts folder; a failed run's stays for inspection.
        shutil.rmtree(invocation.target_path, ignore_errors=True)

    return _build


def steps_with_models() -> dict[str, tuple[str, ...]]:
    manifest = json.loads(dbt_project.manifest_path.read_text())
    paths = [n["original_file_path"] for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    present = {layer for layer in ("staging", "intermediate", "marts") if any(p.startswith(f"models/{layer}/") for p in paths)}
    return {step: tuple(l for l in layers if l in present) for step, layers in STEPS.items() if present & set(layers)}


ensure_manifest()
assets = [step_assets(step, layers) for step, layers in steps_with_models().items()]


class WarehouseDbtCli(DbtCliResource):
    """dagster-dbt, on every dbt run, asks `dbt --version` in a subprocess and builds a dbt
    adapter in-process (together about 6 s a run here, two runs a build). The adapter only
    serves column-metadata fetches, which the warehouse does not use, and the version is the
    installed dbt-core's."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None


def dbt_resource() -> DbtCliResource:
    return WarehouseDbtCli(project_dir=dbt_project, profiles_dir=str(settings.DBT_PROJECT_DIR))
