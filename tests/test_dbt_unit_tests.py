"""The dbt unit tests (`unit_tests:` in dbt_project/models) pass: hand-computed fixtures for the
models' logic. dbt reads the column types of each model's inputs from the warehouse, so they
run against the session's built warehouse."""

import json
import os
import subprocess
import sys
from pathlib import Path

from orchestration import settings
from orchestration.declarations.dbt_manifest import manifest


def test_dbt_unit_tests_pass(built_warehouse):
    dbt = Path(sys.executable).parent / "dbt"
    project = str(settings.DBT_PROJECT_DIR)
    result = subprocess.run(
        [str(dbt), "test", "--select", "test_type:unit", "--project-dir", project, "--profiles-dir", project],
        env=os.environ, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    run_results = json.loads((Path(os.environ["DBT_TARGET_PATH"]) / "run_results.json").read_text())
    statuses = [r["status"] for r in run_results["results"] if r["unique_id"].startswith("unit_test.")]
    assert statuses == ["pass"] * len(manifest()["unit_tests"])
