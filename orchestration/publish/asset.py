"""Write-audit-publish: the `publish` asset.

Ingestion and dbt write the build file; checks audit it; `publish` runs only after every mart
and its checks have passed, and writes the analysts' file (`published_file.py`). A failed check
anywhere in the run leaves that file as it was.
"""

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Sequence

from dagster import (
    AssetCheckKey,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    Failure,
    FreshnessPolicy,
    MaterializeResult,
    MetadataValue,
    asset,
)

from orchestration import settings
from orchestration.declarations.dbt_manifest import mart_names
from orchestration.engines import engine
from orchestration.engines.build_file import BUILD_FILE_POOL, Warehouse
from orchestration.files.bytes import file_sha256
from orchestration.pilots.registry import pilot_cities
from orchestration.publish.published_file import Records, publish_file
from orchestration.quality import docs
from orchestration.quality.pool import workers

# The marts are refreshed every Monday: late once the refresh is half a day overdue, failing
# after a second missed week (the policy of every mart and of `publish`, runs/automation.py).
WEEKLY_FRESHNESS = FreshnessPolicy.time_window(fail_window=timedelta(days=14), warn_window=timedelta(days=7, hours=12))


def mart_keys() -> list[AssetKey]:
    """Every model under models/marts (pilots included), read from the dbt manifest."""
    return [AssetKey(["marts", name]) for name in mart_names()]


def failed_checks(context: AssetExecutionContext, check_keys: Sequence[AssetCheckKey]) -> list[str]:
    """Checks whose latest evaluation (in this run or, for a check this run did not execute,
    an earlier one) failed with ERROR severity."""
    latest = context.instance.event_log_storage.get_latest_asset_check_execution_by_key(list(check_keys))
    failed = []
    for key, record in latest.items():
        evaluation = record.event.dagster_event.event_specific_data if record.event else None
        if evaluation is not None and not evaluation.passed and evaluation.severity == AssetCheckSeverity.ERROR:
            failed.append(f"{key.asset_key.to_user_string()}:{key.name}")
    return sorted(failed)


def naive_utc(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, timezone.utc).replace(tzinfo=None)


def run_records(context: AssetExecutionContext, check_keys: Sequence[AssetCheckKey]) -> Records:
    """Each check's latest result and each mart's latest materialization, for the analysts' file."""
    instance = context.instance
    checks = []
    for key, record in instance.event_log_storage.get_latest_asset_check_execution_by_key(list(check_keys)).items():
        evaluation = record.event.dagster_event.event_specific_data if record.event else None
        if evaluation is not None:
            checks.append((key.asset_key.to_user_string(), key.name, evaluation.passed, evaluation.severity.value,
                           evaluation.description or "", naive_utc(record.event.timestamp)))
    latest = instance.get_latest_materialization_events(mart_keys())
    materialized = [(key.to_user_string(), naive_utc(event.timestamp) if event else None) for key, event in latest.items()]
    materialized.append(("publish", naive_utc(datetime.now(timezone.utc).timestamp())))
    return Records(checks=checks, materialized=materialized, late_after=WEEKLY_FRESHNESS.warn_window.to_timedelta(),
                   stale_after=WEEKLY_FRESHNESS.fail_window.to_timedelta(), pilot_cities=pilot_cities())


def publish_asset(audited: Sequence[AssetKey], check_name: str) -> AssetsDefinition:
    """The `publish` asset. It depends on every mart and on every audited asset, so that in a run
    it starts only after every blocking check has passed, wherever the asset sits in the graph."""
    check_keys = [AssetCheckKey(key, check_name) for key in audited]
    deps = sorted(set(mart_keys()) | set(audited), key=lambda k: k.to_user_string())

    @asset(
        key=AssetKey(["publish"]),
        group_name="publish",
        deps=deps,
        kinds={"duckdb"},
        pool=BUILD_FILE_POOL,
        description="The analysts' file MOBILITY_HOME/mobility.duckdb: the audited marts, replaced "
        "atomically once every mart and every check has passed.",
    )
    def publish(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
        failed = failed_checks(context, check_keys)
        if failed:
            raise Failure(
                f"not published: error-level checks failed: {', '.join(failed)}",
                metadata={"failed_checks": MetadataValue.text(", ".join(failed))},
            )
        home = Path(warehouse.home)
        target = settings.published_db(home)
        marts = [key.path[-1] for key in mart_keys()]
        # Data Docs render in a check process, which has GX loaded, while the file is copied.
        rendered = workers().submit(docs.build_docs, home)
        builder = engine.current()
        version = builder.write_marts(home, marts, context.run.run_id)
        counts = publish_file(home / "build.duckdb", target, marts, run_id=context.run.run_id, parquet=version,
                              records=run_records(context, check_keys))
        builder.swap_marts(home, version)
        index = rendered.result()
        return MaterializeResult(
            metadata={
                "path": MetadataValue.path(str(target)),
                "sha256": MetadataValue.text(file_sha256(target)),
                "published_at": MetadataValue.timestamp(datetime.now(timezone.utc)),
                "marts": MetadataValue.md("\n".join(f"- `marts.{m}`: {n:,} rows" for m, n in counts.items())),
                "data_docs": MetadataValue.path(str(index)),
            }
        )

    return publish
