"""Where the warehouse lives on disk. Every path comes from the environment with a local default."""

import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO_ROOT / "seeds"
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"


def mobility_home() -> Path:
    """`MOBILITY_HOME` (default `./warehouse` in the repository), made absolute."""
    home = Path(os.environ.get("MOBILITY_HOME", REPO_ROOT / "warehouse"))
    if not home.is_absolute():
        home = REPO_ROOT / home
    return home


def build_db_path() -> Path:
    """The file ingestion and dbt write to; analysts never read it."""
    return mobility_home() / "build.duckdb"


def published_db(home: Path) -> Path:
    """The analysts' file under `home`: the audited marts, read-only."""
    return Path(home) / "mobility.duckdb"


def source_dir() -> Path:
    """Where the source files are read from: `seeds/`, or `MOBILITY_SOURCE_DIR` pointing at freshly
    downloaded files of the same names."""
    return Path(os.environ.get("MOBILITY_SOURCE_DIR", SEEDS_DIR))


def dbt_target_dir() -> Path:
    return mobility_home() / "dbt_target"


def dagster_home() -> Path:
    return Path(os.environ.get("DAGSTER_HOME", mobility_home() / "dagster"))


# The most memory one DuckDB database of the warehouse may use (the build process's, each check
# process's); past it, DuckDB spills large joins, aggregates and sorts to disk under the home.
DUCKDB_MEMORY_LIMIT_ENV = "MOBILITY_DUCKDB_MEMORY_LIMIT"
DUCKDB_MEMORY_LIMIT = "2GB"


def duckdb_config() -> dict[str, str]:
    """Settings for every DuckDB connection the warehouse opens (the dbt profile reads the same)."""
    return {"memory_limit": os.environ.get(DUCKDB_MEMORY_LIMIT_ENV, DUCKDB_MEMORY_LIMIT)}


# How many models dbt builds at once. Unset, the DuckDB build takes the profile's two, or one when
# its raw tables hold more rows than this: each large model's query then already keeps every core
# busy, and two at once share one memory limit and spill (docs/performance.md, 6 December).
DBT_THREADS_ENV = "MOBILITY_DBT_THREADS"
DBT_ONE_MODEL_AT_A_TIME_ROWS = 10_000_000


# The executor of every job (orchestration/runs/jobs.py): `in_process`, the default, or `k8s`, one
# Kubernetes pod per step (docs/scaling.md).
EXECUTOR_ENV = "MOBILITY_EXECUTOR"
EXECUTORS = ("in_process", "k8s")


def chosen(env: str, options: tuple[str, ...], what: str) -> str:
    """The option `env` names (the first by default); any other value is refused, naming them."""
    name = os.environ.get(env, options[0])
    if name not in options:
        raise ValueError(f"{env}={name!r} is not {what} of the warehouse: use one of {', '.join(options)}")
    return name


def executor_name() -> str:
    return chosen(EXECUTOR_ENV, EXECUTORS, "an executor")


# The engine dbt builds the models on: `duckdb`, the default, into the build file, or `spark`, Apache
# Spark in this process (dbt-spark, pyspark local mode) reading the raw tables as Parquet
# (orchestration/engines/spark_lake.py). dbt_project/profiles.yml has one output per engine, named like it.
ENGINE_ENV = "MOBILITY_ENGINE"
ENGINES = ("duckdb", "spark")


def engine_name() -> str:
    return chosen(ENGINE_ENV, ENGINES, "an engine")


def spark_home() -> Path:
    """Spark's table files and its Derby metastore (the `spark` output of profiles.yml)."""
    return mobility_home() / "spark"


def lake_dir() -> Path:
    """The raw tables as Parquet, one folder per table, for engines other than DuckDB."""
    return mobility_home() / "lake"


# Spark's settings, the same as the `spark` output's server_side_parameters in profiles.yml:
# local mode on the machine's two cores, the metastore and warehouse under the home.
SPARK_DRIVER_MEMORY_ENV = "MOBILITY_SPARK_DRIVER_MEMORY"
SPARK_DRIVER_MEMORY = "4g"


def spark_config() -> dict[str, str]:
    home = spark_home()
    return {
        "spark.master": "local[2]",
        "spark.driver.memory": os.environ.get(SPARK_DRIVER_MEMORY_ENV, SPARK_DRIVER_MEMORY),
        "spark.sql.warehouse.dir": str(home / "warehouse"),
        "spark.hadoop.javax.jdo.option.ConnectionURL": f"jdbc:derby:;databaseName={home / 'metastore_db'};create=true",
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={home}",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.shuffle.partitions": "4",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.ansi.enabled": "false",
    }


def export_environment() -> None:
    """Make the resolved paths visible to child processes (dbt reads MOBILITY_HOME in
    profiles.yml), telemetry off. The Dagster instance's own settings: `runs/instance.py`."""
    home = mobility_home()
    os.environ["MOBILITY_HOME"] = str(home)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    os.environ.setdefault(DUCKDB_MEMORY_LIMIT_ENV, DUCKDB_MEMORY_LIMIT)
    os.environ[ENGINE_ENV] = engine_name()
    os.environ.setdefault(SPARK_DRIVER_MEMORY_ENV, SPARK_DRIVER_MEMORY)
    # Every dbt run gets its own folder under this one, seeded with the partial-parse state
    # kept here: without it each run re-parses the whole project.
    os.environ["DBT_TARGET_PATH"] = str(dbt_target_dir())
    # `dbt parse` runs as a subprocess: find dbt beside this interpreter even when the venv is not activated.
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")
    os.environ["DAGSTER_HOME"] = str(dagster_home())
