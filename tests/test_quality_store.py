"""The stored suites, validation definitions and results behind Data Docs survive a build killed
while writing them: each write is whole or absent, and a killed write's leftover is ignored."""

import json
import os

import duckdb
import great_expectations as gx
import pytest

from orchestration.quality import atomic_store, docs


@pytest.fixture
def table(tmp_path):
    db = tmp_path / "build.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create schema raw; create table raw.places as select * from (values ('3915000', 309317)) t(geoid, population)")
    con.close()
    return db


def store_definition(home, db, max_value):
    """Add (or replace) the suite and validation definition `raw.places`, as a check step does."""
    context = docs.context(home)
    source = context.data_sources.add_or_update_sql("build", connection_string=f"duckdb:///{db}")
    batch = source.add_table_asset("raw.places", table_name="places", schema_name="raw").add_batch_definition_whole_table("whole")
    suite = context.suites.add_or_update(gx.ExpectationSuite(name="raw.places", expectations=[
        gx.expectations.ExpectColumnValuesToBeBetween(column="population", min_value=0, max_value=max_value)]))
    definition = context.validation_definitions.add_or_update(gx.ValidationDefinition(name="raw.places", data=batch, suite=suite))
    return context, definition


def definition_file(home):
    return docs.store_dir(home) / "validation_definitions" / "raw.places.json"


def test_every_filesystem_store_writes_atomically(tmp_path):
    context = docs.context(tmp_path)
    backends = {name: type(store.store_backend) for name, store in context.stores.items()}
    assert backends == {name: atomic_store.AtomicFilesystemStoreBackend for name in backends}
    assert len(backends) == 4  # suites, validation definitions, checkpoints, results


def test_a_write_killed_before_its_rename_leaves_the_old_file_whole(tmp_path, table, monkeypatch):
    store_definition(tmp_path, table, max_value=1_000_000)
    before = definition_file(tmp_path).read_bytes()

    def killed(source, target):
        raise KeyboardInterrupt("killed between write and rename")

    monkeypatch.setattr(atomic_store.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        store_definition(tmp_path, table, max_value=2_000_000)
    monkeypatch.undo()

    assert definition_file(tmp_path).read_bytes() == before
    assert json.loads(before)["name"] == "raw.places"
    assert [p.name for p in definition_file(tmp_path).parent.iterdir()] == ["raw.places.json"]


def test_a_killed_writes_leftover_does_not_stop_the_next_check(tmp_path, table):
    store_definition(tmp_path, table, max_value=1_000_000)
    # What SIGKILL between write and rename leaves: a partial temporary file beside the real one.
    (definition_file(tmp_path).parent / ".writing-k1ll3d").write_text('{"name": "raw.pla')

    context, definition = store_definition(tmp_path, table, max_value=300_000)
    result = definition.run()
    assert not result.success  # 309,317 is above the new maximum: the new suite is the one run
    assert [key.to_tuple() for key in context.validation_definition_store.list_keys()] == [("raw.places",)]
    assert os.path.getsize(definition_file(tmp_path)) > 0
