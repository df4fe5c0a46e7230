"""Every table's expectation suite (declared in dbt YAML, plus `expectations/`) as a blocking
Dagster asset check on its asset.

Raw tables are checked before the dbt step and marts after it, one step per layer; the check
validates the asset's table where its engine holds it. A failed `error` expectation fails the
check with ERROR severity: a failed raw table stops the dbt step, a failed mart stops publishing.
Failed `warning` expectations fail the check with WARN severity: shown in the UI, not blocking.
"""


from dataclasses import replace
from pathlib import Path
from typing import Iterable, Iterator

import duckdb
from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetChecksDefinition,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    MetadataValue,
    multi_asset_check,
)

from orchestration import settings
from orchestration.engines.engine import for_schema
from orchestration.pilots.assets import city_of_intake_run, rows_a_city_run_changes
from orchestration.quality import docs
from orchestration.quality.baseline import published_row_counts
from orchestration.quality.pool import WORKERS, workers
from orchestration.quality.runner import Outcome, SuiteRun, validate_frames, validate_many
from orchestration.quality.suites import Suite, load_suites, match_assets
from orchestration.engines.build_file import BUILD_FILE_POOL, Warehouse

CHECK_NAME = "expectations"


def run_suite_group(suites: list[Suite], home: Path) -> list[tuple[SuiteRun, int | None]]:
    """Validate the suites on the build file under `home` and store the results for Data Docs.
    Returns each run with the published row count it was compared with."""
    baselines = published_row_counts(home, [suite.asset_path for suite in suites])
    runs = validate_many(
        [(suite, {"published_row_count": baseline or 0}) for suite, baseline in zip(suites, baselines)],
        Path(home) / "build.duckdb",
        context=docs.context(home),
    )
    files = loaded_from(Path(home) / "build.duckdb", [s.table for s in suites if s.schema == "raw"])
    runs = [replace(run, source_file=files.get(run.suite.table)) if run.suite.schema == "raw" else run for run in runs]
    return list(zip(runs, baselines))


def loaded_from(build_db: Path, tables: list[str]) -> dict[str, str]:
    """The file(s) each raw table was last loaded from, as the load log records them."""
    if not tables:
        return {}
    con = duckdb.connect(str(build_db), read_only=True)
    try:
        logged = con.execute("select count(*) from duckdb_tables() where schema_name = 'raw' "
                             "and table_name = '_ingest_log'").fetchone()[0]
        return dict(con.execute(
            "select table_name, arg_max(source_file, loaded_at) from raw._ingest_log "
            "where table_name in (select unnest(?)) group by table_name", [tables]).fetchall()) if logged else {}
    finally:
        con.close()


def check_result(run: SuiteRun, baseline: int | None) -> AssetCheckResult:
    errors, warnings = run.failed("error"), run.failed("warning")
    metadata = {
        "expectations": MetadataValue.md(outcome_table(run.outcomes)),
        "count_expectations": MetadataValue.int(len(run.outcomes)),
        "count_failed_errors": MetadataValue.int(len(errors)),
        "count_failed_warnings": MetadataValue.int(len(warnings)),
        "published_row_count": MetadataValue.int(baseline) if baseline is not None
        else MetadataValue.text("none: never published"),
        "declared_in": MetadataValue.text(", ".join(shown_path(f) for f in run.suite.files)),
        **({"source_file": MetadataValue.text(shown_path(Path(run.source_file)))} if run.source_file else {}),
    }
    for number, failed in enumerate(errors + warnings, start=1):
        metadata[f"failed_{number}"] = MetadataValue.text(failed.summary())
        if failed.rows:
            metadata[f"failed_{number}_rows"] = MetadataValue.json(failed.rows)
    if errors or warnings:
        description = "; ".join(o.summary() for o in errors + warnings)[:1800]
        if run.source_file:
            description += f" (in {shown_path(Path(run.source_file))})"
    else:
        description = f"all {len(run.outcomes)} expectations met"
    return AssetCheckResult(
        asset_key=AssetKey(run.suite.asset_path),
        check_name=CHECK_NAME,
        passed=not (errors or warnings),
        severity=AssetCheckSeverity.ERROR if errors else AssetCheckSeverity.WARN,
        metadata=metadata,
        description=description[:2000],
    )


def shown_path(path: Path) -> str:
    return str(path.relative_to(settings.REPO_ROOT)) if path.is_relative_to(settings.REPO_ROOT) else str(path)


def outcome_table(outcomes: list[Outcome]) -> str:
    lines = ["| status | severity | column | rule | expectation | observed | unexpected | examples |",
             "|---|---|---|---|---|---|---|---|"]
    order = sorted(outcomes, key=lambda o: (o.success, o.severity != "error"))
    for o in order:
        status = "met" if o.success else ("ERROR" if o.error else "FAILED")
        observed = o.error or ("" if o.observed is None else str(o.observed))
        unexpected = "" if o.unexpected_count is None else f"{o.unexpected_count:,}"
        cells = [status, o.severity, o.column or "(table)", o.rule, o.type, observed[:80], unexpected, str(o.sample[:3])[:80]]
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines)


def _validate_group(suites: list[Suite], home: Path) -> list[tuple[SuiteRun, int | None]]:
    """Worker-side: validate a group of suites (the GX result objects stay in the worker; they
    are stored for Data Docs there)."""
    runs = run_suite_group(suites, home)
    return [(replace(run, result=None), baseline) for run, baseline in runs]


def run_suites(suites: list[Suite], home: Path) -> Iterator[tuple[SuiteRun, int | None]]:
    """Validate in the worker processes (GX is never imported by the run's own process), one
    group per worker, balanced by number of expectations."""
    groups: list[list[Suite]] = [[] for _ in range(min(WORKERS, len(suites)))]
    for suite in sorted(suites, key=lambda s: -len(s.rules)):
        min(groups, key=lambda g: sum(len(s.rules) for s in g)).append(suite)
    futures = [workers().submit(_validate_group, group, home) for group in groups]
    for future in futures:
        yield from future.result()


def run_suites_in_process(suites: list[Suite], home: Path) -> list[tuple[SuiteRun, int | None]]:
    """Validate the tables in this process, as its engine's session reads them (on Spark the
    check processes would each need a JVM of their own, and only one JVM can hold the metastore)."""
    baselines = published_row_counts(home, [suite.asset_path for suite in suites])
    runs = validate_frames(
        [(suite, {"published_row_count": baseline or 0}, for_schema(suite.schema).table_frame(suite.schema, suite.table))
         for suite, baseline in zip(suites, baselines)],
        context=docs.context(home),
    )
    return [(replace(run, result=None), baseline) for run, baseline in zip(runs, baselines)]


def layer_check(schema: str, suites: list[Suite]) -> AssetChecksDefinition:
    """One step checks every asset of a layer that the run selected, each asset keeping its
    own blocking `expectations` check. The next layer waits for the whole step."""
    by_key = {AssetKey(s.asset_path): s for s in suites}
    specs = [
        AssetCheckSpec(
            CHECK_NAME,
            asset=key,
            blocking=True,
            description=f"{len(s.rules)} expectations declared in {', '.join(shown_path(f) for f in s.files)}. "
            f"{s.description}",
        )
        for key, s in by_key.items()
    ]

    @multi_asset_check(specs=specs, name=f"{schema}_expectations", can_subset=True, pool=BUILD_FILE_POOL)
    def _check(context: AssetCheckExecutionContext, warehouse: Warehouse) -> Iterator[AssetCheckResult]:
        selected = [by_key[k.asset_key] for k in context.selected_asset_check_keys]
        if city := city_of_intake_run(context):
            changed = rows_a_city_run_changes(city)
            selected = [replace(s, rows=changed.get((s.schema, s.table))) for s in selected]
        runs = run_suites_in_process if for_schema(schema).checks_in_process else run_suites
        for run, baseline in runs(selected, Path(warehouse.home)):
            yield check_result(run, baseline)

    return _check


def asset_paths(definitions: Iterable[AssetsDefinition | AssetSpec]) -> set[tuple[str, ...]]:
    paths: set[tuple[str, ...]] = set()
    for definition in definitions:
        keys = [definition.key] if isinstance(definition, AssetSpec) else definition.keys
        paths.update(tuple(key.path) for key in keys)
    return paths


def expectation_checks(definitions: Iterable[AssetsDefinition | AssetSpec],
                       directory: Path = settings.EXPECTATIONS_DIR) -> list[AssetChecksDefinition]:
    """One blocking check per checked table, run by one step per layer; a suite whose asset does
    not exist is an error here, at load."""
    suites = load_suites(directory)
    match_assets(suites, asset_paths(definitions))
    layers: dict[str, list[Suite]] = {}
    for suite in suites:
        layers.setdefault(suite.schema, []).append(suite)
    return [layer_check(schema, layer) for schema, layer in layers.items()]
