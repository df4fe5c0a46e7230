"""Shared setup for the corrupted-input scenarios: a warehouse home seeded from the session's
published warehouse, a source directory that is the bundled seeds with one file replaced,
and a run of a chosen part of the asset graph."""

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from dagster import AssetKey, AssetSelection, DagsterInstance, materialize

from orchestration import settings


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def seeds_with(tmp: Path, relative: str, text: str) -> Path:
    """A copy of seeds/ (links) in which `relative` holds `text`."""
    root = tmp / "seeds"
    for source in settings.SEEDS_DIR.rglob("*"):
        if source.is_file():
            target = root / source.relative_to(settings.SEEDS_DIR)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(source, target)
    corrupted = root / relative
    corrupted.unlink()
    corrupted.write_text(text, encoding="utf-8")
    return root


def seed_text(relative: str) -> str:
    return (settings.SEEDS_DIR / relative).read_text(encoding="utf-8")


def home_from(built_build_db: Path, tmp: Path) -> Path:
    """A warehouse home holding copies of the session's build and published files."""
    home = tmp / "home"
    home.mkdir()
    shutil.copy(built_build_db, home / "build.duckdb")
    shutil.copy(built_build_db.parent / "mobility.duckdb", home / "mobility.duckdb")
    return home


@dataclass
class Outcome:
    success: bool
    materialized: set[str]
    checks: dict[str, object]  # "schema/table" -> AssetCheckEvaluation
    failures: list[str]
    events: list  # the run's DagsterEvents, in order


def run_downstream_of(raw_table: str, home: Path, include_publish: bool = True) -> Outcome:
    """Load `raw.<raw_table>` and run its check and everything downstream (and `publish`)."""
    from orchestration.dbt.project import dbt_resource
    from orchestration.definitions import warehouse_definitions
    from orchestration.engines.build_file import Warehouse

    selection = AssetSelection.assets(AssetKey(["raw", raw_table])).downstream()
    if include_publish:
        selection = selection | AssetSelection.assets(AssetKey(["publish"]))
    defs = warehouse_definitions()
    checks = list(defs.asset_checks or [])
    with DagsterInstance.ephemeral() as instance:
        result = materialize(
            [*defs.assets, *checks],
            selection=selection,
            resources={"warehouse": Warehouse(home=str(home)), "dbt": dbt_resource()},
            instance=instance,
            raise_on_error=False,
        )
    return Outcome(
        success=result.success,
        materialized={e.asset_key.to_user_string() for e in result.get_asset_materialization_events()},
        checks={c.asset_key.to_user_string(): c for c in result.get_asset_check_evaluations()},
        failures=[e.step_failure_data.error.to_string() for e in result.all_events if e.is_step_failure],
        events=list(result.all_events),
    )


def printed_progress(outcome: Outcome) -> str:
    """What `make warehouse` would have printed for the run: its events replayed through the
    build's progress handler."""
    import io
    import logging

    from orchestration.runs.progress import Progress

    out = io.StringIO()
    progress = Progress(stream=out)
    for event in outcome.events:
        record = logging.LogRecord("run", logging.DEBUG, __file__, 0, "", None, None)
        record.dagster_meta = {"dagster_event": event}
        progress.emit(record)
    progress.report(Path("build.log"))
    return out.getvalue()
