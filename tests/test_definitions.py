"""The Dagster definitions load cleanly and lineage runs from every file to the marts."""

import warnings

from dagster import AssetKey

from orchestration import atlas, census, geography, registry, urban_metrics
from orchestration.definitions import defs
from orchestration.pilots import assets as pilots

RAW_SOURCES = [*atlas.SOURCES, *census.SOURCES, *geography.SOURCES, *urban_metrics.SOURCES, registry.SOURCE,
               *pilots.REGISTRY_SOURCES]
# Tract outcomes and the two Census API tables are loaded by assets of their own; the pilots'
# participants, services, outcomes and file log come from the landing zone.
OTHER_RAW = 3
PILOT_UPLOAD_TABLES = {"pilot_participants", "pilot_services", "pilot_outcomes", "pilot_files"}


def asset_graph():
    return defs.resolve_asset_graph()


def test_definitions_load_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from dagster import Definitions

        Definitions.validate_loadable(defs)
        defs.resolve_job_def("build_warehouse")


def test_every_raw_table_hangs_off_its_source_file():
    graph = asset_graph()
    raw_keys = [k for k in graph.get_all_asset_keys() if k.path[0] == "raw"]
    assert len(raw_keys) == len(RAW_SOURCES) + OTHER_RAW + len(PILOT_UPLOAD_TABLES)
    for key in raw_keys:
        parents = graph.get(key).parent_keys
        if key.path[1] in PILOT_UPLOAD_TABLES:
            assert parents == {AssetKey(["landing", "pilot_uploads"])}, key
        else:
            assert parents == {AssetKey(["source_files", key.path[1]])}, key


def test_every_staging_model_reads_a_materializable_raw_table():
    graph = asset_graph()
    staging = [k for k in graph.get_all_asset_keys() if k.path[0] == "staging"]
    assert len(staging) == len(RAW_SOURCES) + OTHER_RAW + len(PILOT_UPLOAD_TABLES)
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
