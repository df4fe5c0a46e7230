"""The source-files sensor asks for a rebuild exactly when a file differs from the one loaded."""

import shutil

from dagster import DagsterInstance, RunRequest, SkipReason, build_sensor_context, materialize

from orchestration import automation
from orchestration.resources import Warehouse
from orchestration.settings import SEEDS_DIR


def test_sensor_requests_a_build_only_for_changed_files(tmp_path, monkeypatch):
    sources = tmp_path / "sources"
    shutil.copytree(SEEDS_DIR, sources, ignore=shutil.ignore_patterns("pilots"))
    monkeypatch.setenv("MOBILITY_SOURCE_DIR", str(sources))
    registry = next(s for s in automation.WATCHED if s.table == "city_registry")
    with DagsterInstance.ephemeral() as instance:
        # Nothing loaded yet: every table is stale, so the first tick asks for a build.
        first = automation.source_files_sensor(build_sensor_context(instance=instance))
        assert isinstance(first, RunRequest)
        assert "city_registry" in first.tags["mobility/stale_tables"]

        from orchestration.definitions import defs

        watched = {("raw", spec.table) for spec in automation.WATCHED}
        raw_assets = [a for a in defs.assets if getattr(a, "keys", None) and {tuple(k.path) for k in a.keys} <= watched]
        assert len(raw_assets) == len(watched)
        result = materialize(raw_assets, instance=instance, resources={"warehouse": Warehouse(home=str(tmp_path / "home"))})
        assert result.success
        assert isinstance(automation.source_files_sensor(build_sensor_context(instance=instance)), SkipReason)

        registry_file = sources / registry.path
        registry_file.write_text(registry_file.read_text() + "4805000,Austin,TX,48,48453,workforce,Example\n")
        changed = automation.source_files_sensor(build_sensor_context(instance=instance))
        assert isinstance(changed, RunRequest)
        assert changed.tags["mobility/stale_tables"] == "city_registry"
        # Ticking again on the same file versions asks for the same run (deduplicated by run key).
        again = automation.source_files_sensor(build_sensor_context(instance=instance))
        assert again.run_key == changed.run_key
