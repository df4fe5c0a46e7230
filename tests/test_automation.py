"""The source-files sensor watches every declared source file and asks for a rebuild exactly
when one differs from the one loaded."""

import shutil

from dagster import AssetKey, DagsterInstance, RunRequest, SkipReason, build_sensor_context, materialize

from orchestration.runs import automation
from orchestration.definitions import warehouse_definitions
from orchestration.engines.build_file import Warehouse
from orchestration.settings import SEEDS_DIR
from orchestration.sources import declared_files, source_assets


def tick(instance):
    return automation.source_files_sensor(build_sensor_context(instance=instance))


def stale(request: RunRequest) -> set[str]:
    return set(request.tags["mobility/stale_tables"].split(","))


def load(tables, instance, home):
    result = materialize(source_assets(), selection=[AssetKey(["raw", t]) for t in tables], instance=instance,
                         resources={"warehouse": Warehouse(home=str(home))})
    assert result.success


def copy_of_seeds(tmp_path, monkeypatch):
    sources = tmp_path / "sources"
    shutil.copytree(SEEDS_DIR, sources, ignore=shutil.ignore_patterns("synthetic"))
    monkeypatch.setenv("MOBILITY_SOURCE_DIR", str(sources))
    return sources


# Official files a city downloads itself: watched where an environment variable names them.
OPTIONAL = {"atlas_tract_outcomes": "MOBILITY_ATLAS_TRACT_OUTCOMES", "chr_county_measures": "MOBILITY_CHR_ANALYTIC_DATA",
            "seda_county_scores": "MOBILITY_SEDA_COUNTY_LONG"}


def test_every_declared_source_file_is_watched(tmp_path, monkeypatch):
    official = {}
    for table, variable in OPTIONAL.items():
        official[table] = tmp_path / f"{table}.csv"
        official[table].write_text("synthetic\n")
        monkeypatch.setenv(variable, str(official[table]))
    graph = warehouse_definitions().resolve_asset_graph()
    # The files each raw table's lineage shows, from its `source_files/<table>` spec.
    shown = {}
    for key in graph.get_all_asset_keys():
        if key.path[0] == "source_files":
            paths = graph.get(key).metadata["paths"].value.split(", ")
            shown[key.path[1]] = [SEEDS_DIR / p.removeprefix("seeds/") if p.startswith("seeds/") else p for p in paths]
    assert {table: shown[table] for table in OPTIONAL} == {table: [f"${v}"] for table, v in OPTIONAL.items()}
    assert len(shown["census_acs_tract_values"]) == len(shown["census_decennial_tract_population"]) == 2
    assert shown["pilot_programs"] == [SEEDS_DIR / "pilots" / "programs.csv"]

    watched = declared_files()
    assert set(watched) == set(shown)
    assert {t: f for t, f in watched.items() if t not in OPTIONAL} == {t: f for t, f in shown.items() if t not in OPTIONAL}
    assert {table: watched[table] for table in OPTIONAL} == {table: [path] for table, path in official.items()}
    assert all(f.exists() for files in watched.values() for f in files)

    # Nothing loaded yet: the sensor finds every one of them stale.
    with DagsterInstance.ephemeral() as instance:
        assert stale(tick(instance)) == set(shown)


def test_sensor_requests_a_build_only_for_changed_files(tmp_path, monkeypatch):
    sources = copy_of_seeds(tmp_path, monkeypatch)
    for variable in OPTIONAL.values():
        monkeypatch.delenv(variable, raising=False)
    watched = [t for t, files in declared_files().items() if files]
    assert not set(OPTIONAL) & set(watched)  # nothing configured, nothing to watch
    with DagsterInstance.ephemeral() as instance:
        # Nothing loaded yet: every table is stale, so the first tick asks for a build.
        first = tick(instance)
        assert isinstance(first, RunRequest) and stale(first) == set(watched)

        load(watched, instance, tmp_path / "home")
        assert isinstance(tick(instance), SkipReason)

        registry_file = sources / "city_registry.csv"
        registry_file.write_text(registry_file.read_text() + "4805000,Austin,TX,48,48453,workforce,Example\n")
        changed = tick(instance)
        assert isinstance(changed, RunRequest)
        assert changed.tags["mobility/stale_tables"] == "city_registry"
        # Ticking again on the same file versions asks for the same run (deduplicated by run key).
        assert tick(instance).run_key == changed.run_key


def test_editing_pilot_programs_requests_a_build(tmp_path, monkeypatch):
    sources = copy_of_seeds(tmp_path, monkeypatch)
    with DagsterInstance.ephemeral() as instance:
        load(["pilot_programs"], instance, tmp_path / "home")
        before = tick(instance)
        assert "pilot_programs" not in stale(before)

        programs = sources / "pilots" / "programs.csv"
        programs.write_text(programs.read_text() + "austin_workforce,4805000,Workforce pilot,workforce,"
                            "pre_post,2024-01-01,2025-12-31,employed_90d\n")
        after = tick(instance)
        assert stale(after) == stale(before) | {"pilot_programs"}
        assert after.run_key != before.run_key
