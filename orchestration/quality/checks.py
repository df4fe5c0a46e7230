"""Every suite in `expectations/` as a blocking Dagster asset check on its asset.

Python ingestion assets and dbt models are checked alike: the check validates the asset's
table in the build file. A failed `error` expectation fails the check with ERROR severity,
which stops every downstream asset in the run (dbt layers run as separate steps, so checks on
staging models gate the marts) and publishing. Failed `warning` expectations fail the check
with WARN severity: shown in the UI, not blocking.
"""


from pathlib import Path
from typing import Iterable

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetChecksDefinition,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    MetadataValue,
    asset_check,
)

from orchestration import settings
from orchestration.quality import docs
from orchestration.quality.baseline import published_row_count
from orchestration.quality.runner import Outcome, SuiteRun, validate
from orchestration.quality.suites import Suite, load_suites, match_assets
from orchestration.resources import Warehouse

CHECK_NAME = "expectations"


def run_suite(suite: Suite, home: Path) -> tuple[SuiteRun, int | None]:
    """Validate the suite on the build file under `home` and store the result for Data Docs.
    Returns the run and the published row count it was compared with."""
    baseline = published_row_count(home, suite.asset_path)
    gx_context = docs.context(home)
    run = validate(suite, Path(home) / "build.duckdb", {"published_row_count": baseline or 0}, context=gx_context)
    return run, baseline


def check_result(run: SuiteRun, baseline: int | None) -> AssetCheckResult:
    errors, warnings = run.failed("error"), run.failed("warning")
    metadata = {
        "expectations": MetadataValue.md(outcome_table(run.outcomes)),
        "count_expectations": MetadataValue.int(len(run.outcomes)),
        "count_failed_errors": MetadataValue.int(len(errors)),
        "count_failed_warnings": MetadataValue.int(len(warnings)),
        "published_row_count": MetadataValue.int(baseline) if baseline is not None
        else MetadataValue.text("none: never published"),
        "suite_file": MetadataValue.path(str(run.suite.path.relative_to(settings.REPO_ROOT))
                                         if run.suite.path.is_relative_to(settings.REPO_ROOT) else str(run.suite.path)),
    }
    for number, failed in enumerate(errors + warnings, start=1):
        metadata[f"failed_{number}"] = MetadataValue.text(failed.summary())
        if failed.rows:
            metadata[f"failed_{number}_rows"] = MetadataValue.json(failed.rows)
    if errors or warnings:
        description = "; ".join(o.summary() for o in errors + warnings)
    else:
        description = f"all {len(run.outcomes)} expectations met"
    return AssetCheckResult(
        passed=not (errors or warnings),
        severity=AssetCheckSeverity.ERROR if errors else AssetCheckSeverity.WARN,
        metadata=metadata,
        description=description[:2000],
    )


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


def suite_check(suite: Suite) -> AssetChecksDefinition:
    @asset_check(
        asset=AssetKey(suite.asset_path),
        name=CHECK_NAME,
        blocking=True,
        description=f"{len(suite.rules)} expectations from expectations/{suite.schema}/{suite.table}.json. "
        f"{suite.description}",
    )
    def _check(context: AssetCheckExecutionContext, warehouse: Warehouse) -> AssetCheckResult:
        return check_result(*run_suite(suite, Path(warehouse.home)))

    return _check


def asset_paths(definitions: Iterable[AssetsDefinition | AssetSpec]) -> set[tuple[str, ...]]:
    paths: set[tuple[str, ...]] = set()
    for definition in definitions:
        keys = [definition.key] if isinstance(definition, AssetSpec) else definition.keys
        paths.update(tuple(key.path) for key in keys)
    return paths


def expectation_checks(definitions: Iterable[AssetsDefinition | AssetSpec],
                       directory: Path = settings.EXPECTATIONS_DIR) -> list[AssetChecksDefinition]:
    """One check per suite file; a suite whose asset does not exist is an error here, at load."""
    suites = load_suites(directory)
    match_assets(suites, asset_paths(definitions))
    return [suite_check(suite) for suite in suites]
