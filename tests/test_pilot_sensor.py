"""The landing-zone sensor asks for one run per city with new files, on that city's partition."""

from pathlib import Path

import pytest
from dagster import DagsterInstance, SkipReason, build_sensor_context

from orchestration.pilots.assets import pilot_city
from orchestration.pilots.registry import pilot_cities
from orchestration.pilots.sensor import pilot_landing_sensor


@pytest.fixture
def instance(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("MOBILITY_HOME", str(tmp_path))
    with DagsterInstance.ephemeral() as instance:
        yield instance


def tick(instance):
    return pilot_landing_sensor(build_sensor_context(instance=instance))


def test_first_tick_registers_every_pilot_city_as_a_partition(instance):
    result = tick(instance)
    assert result.run_requests == []
    (request,) = result.dynamic_partitions_requests
    assert sorted(request.partition_keys) == pilot_cities() != []


def test_a_new_file_starts_a_run_for_its_city_only(instance, tmp_path: Path):
    instance.add_dynamic_partitions(pilot_city.name, pilot_cities())
    assert isinstance(tick(instance), SkipReason)

    folder = tmp_path / "landing" / "pilots" / "3663000"
    folder.mkdir(parents=True)
    upload = folder / "participants_2025-01.csv"
    upload.write_text("pilot_id,participant_id\n")
    (folder / "quarantine").mkdir()
    (folder / "quarantine" / "old.csv").write_text("x\n")  # quarantined files are not new uploads

    (request,) = tick(instance).run_requests
    assert request.partition_key == "3663000" and request.job_name in (None, "pilot_city_intake")
    assert request.run_key.startswith("3663000:")
    # Unchanged landing zone: the same run key, which Dagster does not launch twice.
    assert tick(instance).run_requests[0].run_key == request.run_key
    # A changed file is a new upload.
    upload.write_text("pilot_id,participant_id,arm\n")
    assert tick(instance).run_requests[0].run_key != request.run_key


def test_a_processed_upload_leaves_nothing_to_do(instance, tmp_path: Path):
    instance.add_dynamic_partitions(pilot_city.name, pilot_cities())
    folder = tmp_path / "landing" / "pilots" / "3663000"
    (folder / "receipts").mkdir(parents=True)
    (folder / "receipts" / "participants.csv.abc.json").write_text("{}")
    assert isinstance(tick(instance), SkipReason)
