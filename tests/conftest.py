"""Shared fixtures. The suite runs against a warehouse of its own in a temporary
MOBILITY_HOME, built once per session from the bundled data by the real Dagster job."""

import os
import shutil
import tempfile
from pathlib import Path

# Before anything imports orchestration: the dbt project's target path depends on it.
_TEST_HOME = Path(tempfile.mkdtemp(prefix="mobility-test-"))
os.environ["MOBILITY_HOME"] = str(_TEST_HOME)
os.environ.pop("DAGSTER_HOME", None)
os.environ.pop("MOBILITY_SOURCE_DIR", None)
# The session's warehouse is built on DuckDB; tests/test_spark_engine.py builds one on Spark.
os.environ.pop("MOBILITY_ENGINE", None)

import duckdb  # noqa: E402
import pytest  # noqa: E402
from dagster import DagsterInstance  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

from orchestration import settings  # noqa: E402
from orchestration.dbt.project import ensure_manifest  # noqa: E402
from orchestration.runs.instance import prepare_instance  # noqa: E402

# The session's Dagster instance, and the parsed dbt project the declarations are read from.
prepare_instance()
ensure_manifest()

# Property tests try the same examples on every run and machine (derandomized, no example
# database), so a failure in CI reproduces locally; their SQL runs take longer than
# Hypothesis' default deadline.
hypothesis_settings.register_profile("warehouse", derandomize=True, database=None, deadline=None, print_blob=True)
hypothesis_settings.load_profile("warehouse")


@pytest.fixture(scope="session")
def test_home() -> Path:
    return _TEST_HOME


@pytest.fixture(scope="session")
def build_run(test_home: Path):
    """Runs the `build_warehouse` job once, through to publishing; returns its result. The run is
    recorded in the session's Dagster instance (DAGSTER_HOME under the test home), as `make
    warehouse` records it, for the webserver and `mobility status` to read."""
    from orchestration.definitions import warehouse_definitions

    with DagsterInstance.get() as instance:
        result = warehouse_definitions().resolve_job_def("build_warehouse").execute_in_process(instance=instance, raise_on_error=False)
    failures = [e.message for e in result.all_events if e.is_step_failure]
    assert result.success, f"build_warehouse failed: {failures}"
    return result


@pytest.fixture(scope="session")
def built_warehouse(build_run) -> Path:
    """The build DuckDB file of the session's warehouse."""
    return settings.build_db_path()


@pytest.fixture
def warehouse_sql(built_warehouse: Path):
    """A read-only connection to the built warehouse."""
    con = duckdb.connect(str(built_warehouse), read_only=True)
    yield con
    con.close()


def pytest_terminal_summary(terminalreporter):
    """The bad-input corpus' slowest file (docs/reliability.md quotes it), from every worker's reports."""
    seconds = {report.nodeid.split("[", 1)[-1].rstrip("]"): value
               for report in terminalreporter.stats.get("passed", []) if report.when == "call"
               for name, value in report.user_properties if name == "bad_input_seconds"}
    if seconds:
        slowest = max(seconds, key=seconds.get)
        terminalreporter.write_line(f"bad inputs: {len(seconds)} files, the slowest {slowest} in {seconds[slowest]:.2f} s")


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_TEST_HOME, ignore_errors=True)
