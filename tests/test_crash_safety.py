"""A build killed with SIGKILL (its check processes too) during ingestion, the checks, dbt and
publish loses nothing and publishes nothing wrong; eight analysts' processes querying the
published file during the next full build all succeed, and each read sees one version.

Five real builds (`python -m orchestration.build`, each in a process group of its own) share one
warehouse, copied from the session's published one:

- Builds 1 to 4 are each killed in one phase. After each kill: the published file opens, its
  audit row counts match its tables and it is byte for byte the file of before the build; the
  analysts' folder holds no temporary file; no process of the build is alive; the build file
  opens. The build after each kill (the next killed one, or build 5) got past the killed phase
  (its log shows that step finished) and marked the killed run failed.
- Build 5 runs to the end while eight readers query the published file. It starts from what all
  four kills left (runs left "started" in the Dagster instance, the pool slot of the killed step,
  a half-written publish), and completes and publishes.

A pilot upload dropped before build 1 makes build 5's version differ from the one before (so a
read mixing the two would show), and must survive every kill.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, DagsterRunStatus

from build_process import HANG_SECONDS, POLL_SECONDS, Build
from orchestration import settings
from orchestration.pilots import privacy
from orchestration.publish.asset import staging_path
from orchestration.engines.build_file import BUILD_FILE_POOL
from published_reader import read_version
from quality_scenarios import sha256

pytestmark = pytest.mark.slow

READERS = 8
CITY = "3915000"  # Cincinnati; its pilot enrols from 2023-03-01 to 2025-06-30 in county 39061
UPLOAD_NAME = "participants_2024-02.csv"
UPLOAD_PARTICIPANTS = 12
# The files the warehouse's folder may hold: the analysts' file, the build file and the build
# file's journal (DuckDB replays it when the file is next opened). Anything else is left over.
WAREHOUSE_FILES = {"mobility.duckdb", "build.duckdb", "build.duckdb.wal"}


def upload_text() -> str:
    header = "pilot_id,participant_id,arm,enrolment_date,exit_date,home_tract_geoid,race_ethnicity,gender,age_band,baseline_value"
    rows = [f"cincinnati_workforce,CRASH-{n:03d},{'treatment' if n % 2 else 'comparison'},2024-02-{n:02d},,"
            f"39061003800,black,female,25_34,0" for n in range(1, UPLOAD_PARTICIPANTS + 1)]
    return "\n".join([header, *rows]) + "\n"


def in_dbt(build: Build) -> bool:
    """dbt is writing models: it has run some (their SQL is in its run folder)."""
    if not build.started("dbt_models"):
        return False
    run = build.home / "dbt_target" / f"dbt_models-{build.run_id()[:8]}" / "run"
    return run.exists() and sum(1 for _ in run.rglob("*.sql")) >= 10


def publishing(build: Build) -> bool:
    """The new version is being written: its file exists in the staging folder."""
    return any(staging_path(build.home / "mobility.duckdb").parent.glob("mobility.duckdb.*.new"))


def running_for(step: str, seconds: float):
    seen: list[float] = []

    def condition(build: Build) -> bool:
        if not seen and build.started(step):
            seen.append(time.monotonic())
        return bool(seen) and time.monotonic() - seen[0] >= seconds

    return condition


# Phase, the step it runs in, and when inside that step the build is killed.
PHASES = {
    # Soon after the step starts: it lasts about a second on the bundled data.
    "ingestion": ("raw_pilot_tables", running_for("raw_pilot_tables", 0.1)),  # its intake and table rebuild
    "checks": ("raw_expectations", running_for("raw_expectations", 1.0)),  # GX in the check processes
    "dbt": ("dbt_models", in_dbt),
    "publish": ("publish", publishing),
}


@dataclass
class Killed:
    build: Build
    step: str
    processes: int  # alive in the build's group when it was killed
    survivors: list[int]
    published_before: str  # sha256
    published_after: str
    audit_mismatches: list[str]
    warehouse_files: set[str]
    build_file_cities: int
    upload_kept: bool


@dataclass
class Home:
    path: Path
    env: dict[str, str]
    upload_sha256: str

    @property
    def published(self) -> Path:
        return self.path / "mobility.duckdb"

    def upload_kept(self) -> bool:
        landing = self.path / "landing" / "pilots" / CITY / UPLOAD_NAME
        return landing.exists() or (self.path / "archive" / "pilots" / CITY / f"{self.upload_sha256}.receipt.json").exists()


@pytest.fixture(scope="module")
def home(built_warehouse: Path, tmp_path_factory) -> Home:
    """A copy of the session's published warehouse, with a pilot upload waiting in its landing zone."""
    path = tmp_path_factory.mktemp("crash") / "warehouse"
    path.mkdir()
    for name in ("build.duckdb", "mobility.duckdb"):
        shutil.copy(built_warehouse.parent / name, path / name)
    shutil.copytree(built_warehouse.parent / "archive", path / "archive")
    (path / "dbt_target").mkdir()
    for name in ("manifest.json", "partial_parse.msgpack"):
        shutil.copy(settings.dbt_target_dir() / name, path / "dbt_target" / name)
    landing = path / "landing" / "pilots" / CITY
    landing.mkdir(parents=True)
    (landing / UPLOAD_NAME).write_text(upload_text())
    env = {**os.environ, "MOBILITY_HOME": str(path), "DAGSTER_HOME": str(path / "dagster"),
           privacy.KEY_ENV: "crash-test-secret-key"}
    return Home(path, env, sha256(landing / UPLOAD_NAME))


def audit_mismatches(published: Path) -> list[str]:
    """Marts whose rows differ from the count `audit.row_counts` gives them (or that it lacks)."""
    con = duckdb.connect(str(published), read_only=True)
    try:
        recorded = dict(con.execute("select asset_key, row_count from audit.row_counts where asset_key like 'marts/%'").fetchall())
        marts = [name for (name,) in con.execute("select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()]
        actual = {f"marts/{m}": con.execute(f'select count(*) from marts."{m}"').fetchone()[0] for m in marts}
    finally:
        con.close()
    return sorted(f"{key}: {recorded.get(key)} recorded, {actual.get(key)} in the table"
                  for key in recorded.keys() | actual.keys() if recorded.get(key) != actual.get(key))


def build_file_cities(home: Home) -> int:
    con = duckdb.connect(str(home.path / "build.duckdb"), read_only=True)
    try:
        return con.execute("select count(*) from raw.city_registry").fetchone()[0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def kills(home: Home) -> dict[str, Killed]:
    killed = {}
    for number, (phase, (step, inside)) in enumerate(PHASES.items(), start=1):
        before = sha256(home.published)
        build = Build(home.path, home.env, f"build-{number}-killed-in-{phase}")
        build.wait_until(lambda: inside(build), f"{phase} (step {step})")
        processes = build.kill()
        killed[phase] = Killed(
            build, step, processes, build.survivors(), before, sha256(home.published),
            audit_mismatches(home.published),
            {p.name for p in home.path.iterdir() if p.is_file()},
            build_file_cities(home), home.upload_kept())
    return killed


@dataclass
class Rerun:
    build: Build
    exit_code: int
    before: dict  # the published version before the build, as a reader reads it
    after: dict
    reports: list[dict]


@pytest.fixture(scope="module")
def rerun(home: Home, kills, tmp_path_factory) -> Rerun:
    """Build 5, to the end, with eight readers querying the published file throughout."""
    folder = tmp_path_factory.mktemp("readers")
    stop = folder / "stop"
    before = published_version(home.published)
    readers = [subprocess.Popen([sys.executable, str(Path(__file__).with_name("published_reader.py")),
                                 str(home.published), str(stop), str(folder / f"reader-{n}.json")],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=(folder / f"reader-{n}.err").open("w"))
               for n in range(READERS)]
    try:
        wait_for(lambda: all_saw(folder, before["run_id"]), "every reader's first read")
        build = Build(home.path, home.env, "build-5-to-the-end")
        exit_code = build.finish()
        if exit_code == 0:
            # Readers go on until each has read the new version (or the bound runs out: the test then says so).
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not all_saw(folder, build.run_id()):
                time.sleep(0.5)
    finally:
        stop.touch()
        for reader in readers:
            reader.wait(timeout=120)
    missing = [n for n in range(READERS) if not (folder / f"reader-{n}.json").exists()]
    assert not missing, "\n".join((folder / f"reader-{n}.err").read_text() for n in missing)
    reports = [json.loads((folder / f"reader-{n}.json").read_text()) for n in range(READERS)]
    return Rerun(build, exit_code, before, published_version(home.published), reports)


def published_version(path: Path) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return read_version(con)
    finally:
        con.close()


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + HANG_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"no {what} after {HANG_SECONDS} s"
        time.sleep(POLL_SECONDS)


def all_saw(folder: Path, run_id: str) -> bool:
    return all((folder / f"reader-{n}.{run_id}.seen").exists() for n in range(READERS))


@pytest.mark.parametrize("phase", PHASES)
def test_a_killed_build_leaves_the_published_file_whole(phase, kills):
    killed = kills[phase]
    assert killed.build.started(killed.step) and not killed.build.finished(killed.step), (
        f"the build was not inside {killed.step} when killed:\n{killed.build.log()[-2000:]}")
    assert killed.processes >= 3  # the build, the fork server and check processes: all killed
    assert killed.survivors == []
    assert killed.published_after == killed.published_before  # nothing published
    assert killed.audit_mismatches == []
    assert killed.warehouse_files <= WAREHOUSE_FILES
    assert "mobility.duckdb" in killed.warehouse_files
    assert killed.build_file_cities == 9  # the build file opens, whatever the kill interrupted
    assert killed.upload_kept  # still in the landing zone, or archived
    print(f"killed in {phase} ({killed.step}) after {killed.build.seconds:.0f} s, {killed.processes} processes")


@pytest.mark.parametrize("phase", PHASES)
def test_the_next_build_recovers_and_gets_past_the_killed_phase(phase, kills, rerun):
    builds = [k.build for k in kills.values()] + [rerun.build]
    killed = kills[phase]
    following = builds[builds.index(killed.build) + 1]
    assert following.finished(killed.step), following.output[-3000:]
    killed_run = killed.build.run_id()
    assert f"Run {killed_run[:8]} stopped without finishing" in following.output


def test_the_build_after_the_kills_completes_and_publishes(home, kills, rerun):
    assert rerun.exit_code == 0, rerun.build.output[-3000:]
    # multiprocessing's exit steps ran: no semaphore of the check processes left behind.
    assert "leaked semaphore" not in rerun.build.output
    assert rerun.after["run_id"] == rerun.build.run_id()  # the new version's marker
    assert audit_mismatches(home.published) == []
    assert {p.name for p in home.path.iterdir() if p.is_file()} <= WAREHOUSE_FILES
    assert list(staging_path(home.published).parent.iterdir()) == []  # the killed publish's file is gone
    # The upload made it through every kill, and is published once.
    archive = home.path / "archive" / "pilots"
    assert not (home.path / "landing" / "pilots" / CITY / UPLOAD_NAME).exists()
    assert rows_in(archive / CITY / f"{home.upload_sha256}.participants.parquet") == UPLOAD_PARTICIPANTS
    con = duckdb.connect(str(home.published), read_only=True)
    try:
        published = con.execute("select row_count from audit.row_counts where asset_key = 'raw/pilot_participants'").fetchone()[0]
    finally:
        con.close()
    assert published == rows_in(archive / "*" / "*.participants.parquet")
    with DagsterInstance.from_config(str(home.path / "dagster")) as instance:
        statuses = {r.dagster_run.run_id: r.dagster_run.status for r in instance.get_run_records()}
        claimed = instance.event_log_storage.get_concurrency_info(BUILD_FILE_POOL).claimed_slots
    assert statuses == {**{k.build.run_id(): DagsterRunStatus.FAILURE for k in kills.values()},
                        rerun.build.run_id(): DagsterRunStatus.SUCCESS}
    assert claimed == []


def rows_in(parquet: Path) -> int:
    with duckdb.connect() as con:
        return con.execute("select count(*) from read_parquet(?)", [parquet.as_posix()]).fetchone()[0]


def test_readers_during_the_build_each_see_one_whole_version(rerun):
    versions = {v["run_id"]: v for v in (rerun.before, rerun.after)}
    assert len(versions) == 2 and rerun.before["checksum"] != rerun.after["checksum"]
    total = {key: sum(r[key] for r in rerun.reports) for key in ("connections", "reads", "queries")}
    failures = [f for r in rerun.reports for f in r["failures"]]
    print(f"{READERS} readers around a {rerun.build.seconds:.0f} s build: {total['queries']} queries "
          f"({total['reads']} reads on {total['connections']} connections), {len(failures)} failed")
    assert failures == []
    for report in rerun.reports:
        # Every read saw one version whole: the marker, the counts and the checksum of the same publish.
        assert all(seen == versions.get(seen["run_id"]) for seen in report["versions"]), report["versions"]
        assert all(seen["recorded_rows"] == seen["rows"] for seen in report["versions"])
        # The old version until the publish, then the new one, never back.
        assert [seen["run_id"] for seen in report["versions"]] == [rerun.before["run_id"], rerun.after["run_id"]]
