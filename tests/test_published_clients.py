"""The analysts' file opens in every supported DuckDB client: 1.4 LTS and 1.5 (each installed by
pip into a virtual environment of its own, kept under ~/.cache so later runs reuse it) and the
2.x the warehouse itself runs."""

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.publish.asset import STORAGE_VERSION

CLIENTS = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "mobility-warehouse" / "duckdb-clients"

READ = """
import duckdb, json, sys
con = duckdb.connect(sys.argv[1], read_only=True)
print(json.dumps({
    "version": duckdb.__version__,
    "cities": con.execute("select count(*) from marts.dim_city").fetchone()[0],
    "racine": con.execute("select city_name from marts.dim_city where city_geoid = '5566000'").fetchone()[0],
    "tulsa_income": con.execute("select round(estimate) from marts.city_mobility where city_geoid = '4075000' "
                                "and outcome = 'household_income_at_35_p25' and race = 'pooled'").fetchone()[0],
    "run_id": con.execute("select run_id from audit.publications order by published_at_utc desc limit 1").fetchone()[0],
}))
"""


def client_python(version: str) -> Path:
    """A virtual environment holding DuckDB `version`, created once and reused."""
    venv = CLIENTS / version
    python = venv / "bin" / "python"
    done = venv / ".installed"
    if not done.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"duckdb=={version}.*"], check=True)
        done.touch()
    return python


def read_with(python: Path | str, path: Path) -> dict:
    done = subprocess.run([str(python), "-c", READ, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.splitlines()[0])


@pytest.mark.parametrize("version", ["1.4", "1.5"])
def test_older_clients_open_the_published_file(version, built_warehouse, build_run):
    published = read_with(client_python(version), built_warehouse.parent / "mobility.duckdb")
    assert published["version"].startswith(version + ".")
    assert published == {**published, "cities": 9, "racine": "Racine", "tulsa_income": 32655.0,
                         "run_id": build_run.run_id}


def test_current_client_reads_the_same_and_the_file_says_its_format(built_warehouse, build_run):
    path = built_warehouse.parent / "mobility.duckdb"
    published = read_with(sys.executable, path)
    assert published["version"] == duckdb.__version__
    assert (published["cities"], published["tulsa_income"], published["run_id"]) == (9, 32655.0, build_run.run_id)
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("select storage_version from audit.publications").fetchall() == [(STORAGE_VERSION,)]
        # DuckDB reports the format a file was written in ("v1.4.0+").
        written = con.execute("select tags['storage_version'] from duckdb_databases() "
                              "where database_name = 'mobility'").fetchone()[0]
        assert written.startswith(STORAGE_VERSION)
    finally:
        con.close()
