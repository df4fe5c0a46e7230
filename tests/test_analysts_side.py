"""The analysts' side (`mobility`) reads the published file only: importing its command loads
neither Dagster nor dbt, and a check process of a DuckDB build never imports pyspark."""

import os
import subprocess
import sys

from orchestration import settings

HEAVY = ("dagster", "dagster_dbt", "dbt", "great_expectations", "pyspark")


def loaded_after(statement: str) -> set[str]:
    """The top-level packages of HEAVY that `statement` loads, in a fresh interpreter."""
    probe = f"{statement}\nimport sys\nprint(','.join(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=settings.REPO_ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return set(filter(None, done.stdout.strip().split(",")))


def test_the_mobility_command_loads_neither_dagster_nor_dbt():
    assert loaded_after("import orchestration.analysts.cli, orchestration.analysts.status, "
                        "orchestration.analysts.export, orchestration.analysts.brief") == set()


def test_the_probe_sees_what_the_build_loads():
    assert {"dagster", "dagster_dbt", "dbt"} <= loaded_after("import orchestration.dbt.assets")


def test_a_duckdb_builds_check_process_cannot_import_pyspark(monkeypatch):
    """The fork server's preload makes `import pyspark` fail there (GX then skips its Spark
    support), whether or not the `spark` extra is installed."""
    probe = ("import orchestration.quality.fork_server, great_expectations, sys\n"
             "try:\n    import pyspark\nexcept ImportError:\n    print('blocked', flush=True)\n"
             "print('gx spark:', type(sys.modules['great_expectations.compatibility.pyspark'].pyspark).__name__, "
             "flush=True)")
    env = {k: v for k, v in os.environ.items() if k != settings.ENGINE_ENV}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=settings.REPO_ROOT,
                          env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["blocked", "gx spark: NotImported"]
