"""The Dagster definitions load cleanly, every source module is found, and lineage runs from
every file to the marts."""

import os
import subprocess
import sys
import warnings
from pathlib import Path

from dagster import AssetKey

from orchestration import settings
from orchestration.definitions import warehouse_definitions
from orchestration.sources import source_groups

# Every raw table but the pilots' participants, services, outcomes and file log (which come
# from the landing zone) is declared in a source group: 42 plain files and 5 loaded by code.
DECLARED_TABLES = {t for group in source_groups() for t in group.declared_files()}
PILOT_UPLOAD_TABLES = {"pilot_participants", "pilot_services", "pilot_outcomes", "pilot_files"}


def asset_graph():
    return warehouse_definitions().resolve_asset_graph()


def test_definitions_load_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from dagster import Definitions

        Definitions.validate_loadable(warehouse_definitions())
        warehouse_definitions().resolve_job_def("build_warehouse")


def test_every_raw_table_hangs_off_its_source_file():
    graph = asset_graph()
    raw_keys = [k for k in graph.get_all_asset_keys() if k.path[0] == "raw"]
    assert {k.path[1] for k in raw_keys} == DECLARED_TABLES | PILOT_UPLOAD_TABLES
    for key in raw_keys:
        parents = graph.get(key).parent_keys
        if key.path[1] in PILOT_UPLOAD_TABLES:
            assert parents == {AssetKey(["landing", "pilot_uploads"])}, key
        else:
            assert parents == {AssetKey(["source_files", key.path[1]])}, key


def test_every_staging_model_reads_a_materializable_raw_table():
    graph = asset_graph()
    staging = [k for k in graph.get_all_asset_keys() if k.path[0] == "staging"]
    assert len(staging) == len(DECLARED_TABLES) + len(PILOT_UPLOAD_TABLES)
    for key in staging:
        parents = graph.get(key).parent_keys
        assert len(parents) == 1, key
        (parent,) = parents
        assert parent.path[0] == "raw" and graph.get(parent).is_materializable, key


def test_dim_city_lineage_reaches_back_to_files():
    graph = asset_graph()
    upstream = graph.get(AssetKey(["marts", "dim_city"])).parent_keys
    assert upstream == {
        AssetKey(["staging", "stg_registry__cities"]),
        AssetKey(["staging", "stg_census__place_population"]),
        AssetKey(["staging", "stg_geography__tract_place_2010"]),
        AssetKey(["staging", "stg_geography__tract_place_2020"]),
    }
    ancestors = graph.upstream_key_iterator(AssetKey(["marts", "dim_city"]))
    assert AssetKey(["source_files", "city_registry"]) in set(ancestors)


def test_every_source_module_is_found():
    groups = {group.name: {s.table for s in group.files} | {c.table for c in group.custom} for group in source_groups()}
    assert set(groups) == {"atlas", "census", "geography", "registry", "urban_metrics", "pilot_registry",
                           "cradle_to_career", "county_health_rankings", "seda"}
    assert groups["pilot_registry"] == {"pilot_programs", "pilot_outcome_definitions"}
    assert {"census_acs_tract_values", "census_decennial_tract_population"} <= groups["census"]
    assert "atlas_tract_outcomes" in groups["atlas"]
    assert groups["county_health_rankings"] == {"chr_county_measures"} and groups["seda"] == {"seda_county_scores"}
    assert len(DECLARED_TABLES) == 47


def test_ingestion_is_one_step_per_source_module():
    steps = {a.node_def.name for a in asset_graph().assets_defs
             if a.is_executable and any(k.path[0] == "raw" for k in a.keys)}
    assert steps == {"raw__atlas", "raw__census", "raw__geography", "raw__registry", "raw__urban_metrics",
                     "raw__pilot_registry", "raw_pilot_tables", "raw__cradle_to_career",
                     "raw__county_health_rankings", "raw__seda"}


def test_dg_check_defs_succeeds():
    dg = Path(sys.executable).parent / "dg"
    env = {**os.environ, "VIRTUAL_ENV": str(Path(sys.executable).parent.parent)}
    result = subprocess.run([str(dg), "check", "defs"], cwd=settings.REPO_ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All definitions loaded successfully." in result.stdout
