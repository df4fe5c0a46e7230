"""Adding a CSV source touches only the source's own files (the README's recipe): in a copy of
the repository, a new source's data file, module, dbt source YAML, staging model and model YAML
are found with no other file changed; the definitions hold its raw table and staging model, and
a run of just those two loads the file, passes the checks generated from its YAML and builds the
staging view."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration import settings

# The copy parses the whole dbt project anew (its profile names another home): about 40 s of CPU.
pytestmark = pytest.mark.slow

ROOT = settings.REPO_ROOT
NOT_COPIED = {".venv", "warehouse", ".git", "seeds", "__pycache__", ".pytest_cache", ".hypothesis"}

# The new source's own files, relative to the repository, as the README lists them.
NEW_FILES = {
    "seeds/widgets/county_counts.csv": """\
county,year,count_widgets
1001,2021,5
40143,2021,12
40143,2022,0
""",
    "seeds/widgets/README.md": "Widgets per county and year: made up for a test.\n",
    "orchestration/sources/widgets.py": '''\
"""Widgets per county and year."""

from orchestration.ingestion.asset_factory import SourceGroup
from orchestration.ingestion.loading import SourceFile, pad

sources = SourceGroup("widgets", [
    SourceFile(
        table="widgets_county_counts",
        path="widgets/county_counts.csv",
        group="widgets",
        description="Widgets counted per county and year.",
        select=f"* replace ({pad('county', 5)} as county)",
        provenance="Made up for a test",
    ),
])
''',
    "dbt_project/models/staging/widgets/_widgets__sources.yml": """\
version: 2
sources:
- name: widgets
  schema: raw
  tables:
  - name: widgets_county_counts
    meta: {keys: [county, year]}
    columns:
    - name: county
      meta: {geoid_width: 5}
    - name: year
      meta: {range: [2000, 2030]}
    - name: count_widgets
      meta: {range: [0, 100], not_null: true}
""",
    "dbt_project/models/staging/widgets/stg_widgets__county_counts.sql": """\
with source as (select * from {{ source('widgets', 'widgets_county_counts') }}),

renamed as (
    select
        county as county_geoid,
        cast(year as integer) as year,
        cast(count_widgets as integer) as count_widgets
    from source
)

select * from renamed
""",
    "dbt_project/models/staging/widgets/_widgets__models.yml": """\
version: 2
models:
- name: stg_widgets__county_counts
  description: Widgets counted per county and year.
  columns:
  - name: county_geoid
    description: County GEOID (5 digits).
  - name: year
    description: Year of the count.
  - name: count_widgets
    description: Widgets counted.
""",
}

# Run in the copy: the definitions, then the new raw table and staging model with their checks.
RUN = """
import json
import duckdb
from dagster import AssetKey, DagsterInstance
from orchestration import settings
from orchestration.definitions import warehouse_definitions
from orchestration.runs.instance import prepare_instance

prepare_instance()

defs = warehouse_definitions()
raw, staging = AssetKey(["raw", "widgets_county_counts"]), AssetKey(["staging", "stg_widgets__county_counts"])
graph = defs.resolve_asset_graph()
job = defs.resolve_implicit_global_asset_job_def()
with DagsterInstance.ephemeral() as instance:
    result = job.execute_in_process(instance=instance, asset_selection=[raw, staging], raise_on_error=False)
con = duckdb.connect(str(settings.build_db_path()), read_only=True)
print(json.dumps({
    "package": __import__("orchestration").__file__,
    "raw_parents": [k.to_user_string() for k in graph.get(raw).parent_keys],
    "staging_parents": [k.to_user_string() for k in graph.get(staging).parent_keys],
    "success": result.success,
    "materialized": sorted(e.asset_key.to_user_string() for e in result.get_asset_materialization_events()),
    "checks": {c.asset_key.to_user_string(): [c.passed, str(c.metadata.get("declared_in").value)]
               for c in result.get_asset_check_evaluations()},
    "staged": con.execute("select * from staging.stg_widgets__county_counts order by all").fetchall(),
}))
"""


def repository_copy(tmp_path: Path) -> Path:
    """The repository's files, its bundled data linked, plus the new source's files."""
    copy = tmp_path / "repo"
    shutil.copytree(ROOT, copy, ignore=lambda _dir, names: [n for n in names if n in NOT_COPIED])
    (copy / "seeds").mkdir()
    for entry in settings.SEEDS_DIR.iterdir():
        (copy / "seeds" / entry.name).symlink_to(entry)
    for relative, text in NEW_FILES.items():
        (copy / relative).parent.mkdir(parents=True, exist_ok=True)
        (copy / relative).write_text(text, encoding="utf-8")
    return copy


def run_in(copy: Path, home: Path, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(copy), "MOBILITY_HOME": str(home), "DAGSTER_HOME": str(home / "dagster"),
           "MOBILITY_SOURCE_DIR": str(copy / "seeds")}
    done = subprocess.run([sys.executable, *args], cwd=copy, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    return done.stdout


def test_a_new_csv_source_is_found_loaded_checked_and_staged(tmp_path):
    copy = repository_copy(tmp_path)
    home = tmp_path / "home"
    run_in(copy, home, "-m", "orchestration.prepare")
    outcome = json.loads(run_in(copy, home, "-c", RUN).strip().splitlines()[-1])

    assert Path(outcome["package"]).is_relative_to(copy)  # the copy's code, not this checkout's
    assert outcome["raw_parents"] == ["source_files/widgets_county_counts"]
    assert outcome["staging_parents"] == ["raw/widgets_county_counts"]
    assert outcome["success"]
    assert outcome["materialized"] == ["raw/widgets_county_counts", "staging/stg_widgets__county_counts"]
    passed, declared_in = outcome["checks"]["raw/widgets_county_counts"]
    assert passed and "_widgets__sources.yml" in declared_in
    # County GEOIDs read as integers get their leading zeros back.
    assert outcome["staged"] == [["01001", 2021, 5], ["40143", 2021, 12], ["40143", 2022, 0]]
