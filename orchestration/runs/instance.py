"""The local Dagster instance under MOBILITY_HOME: its folder and the settings it needs."""

from pathlib import Path

from orchestration import settings

# Dagster instance settings the warehouse needs; a setting already in the file is kept as is.
INSTANCE_SETTINGS = {
    "telemetry": {"enabled": False},
    # One step at a time in the `build_file` pool (the only pool), across all runs.
    "concurrency": {"pools": {"granularity": "op", "default_limit": 1}},
}


def prepare_instance() -> Path:
    """Export the environment, make the instance's folder and settings, and let this process
    write its SQLite files without a flush per event. Returns the folder."""
    from orchestration.runs import sqlite_event_log

    settings.export_environment()
    instance_dir = settings.dagster_home()
    instance_dir.mkdir(parents=True, exist_ok=True)
    write_instance_settings(instance_dir / "dagster.yaml")
    sqlite_event_log.skip_flushes_under(instance_dir)
    return instance_dir


def write_instance_settings(config: Path) -> None:
    import yaml

    current = (yaml.safe_load(config.read_text()) if config.exists() else None) or {}
    merged = {**INSTANCE_SETTINGS, **current}
    if merged != current:
        config.write_text(yaml.safe_dump(merged, sort_keys=False))
