"""What the benchmarks share: a timed build through Dagster (wall, CPU, peak memory, time per
kind of step) and the engine floor (the same raw loads and compiled dbt models run by DuckDB
alone in one fresh file)."""

import graphlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def raw_loads():
    """(tables, load) pairs, `load(con, scratch)` building the raw tables as the ingestion steps
    do: files through DuckDB's reader with the declared select, tables that code of their own
    loads through that code, pilot tables from the archive the warm-up build filled."""
    from orchestration.files.bytes import utf8_readable
    from orchestration.ingestion.loading import read_rds, reader_sql
    from orchestration.settings import source_dir
    from orchestration.pilots import assets as pilots
    from orchestration.sources import source_groups

    def from_file(spec):
        def load(con, scratch):
            if spec.reader == "rds":  # DuckDB has no reader for R data files: the loader's data frame
                con.register("rds_frame", read_rds(source_dir() / spec.path))
                relation = "rds_frame"
            else:
                relation = reader_sql(spec, utf8_readable(source_dir() / spec.path, scratch))
            con.execute(f"create table raw.{spec.table} as select {spec.select} from {relation} where {spec.where}")
        return load

    def from_code(custom, config):
        # Its own code writes a load record too: a few milliseconds, kept for fidelity.
        return lambda con, scratch: custom.load(con, scratch, config)

    loads = []
    for group in source_groups():
        loads += [(spec.table, from_file(spec)) for spec in group.files]
        loads += [(custom.table, from_code(custom, group.config())) for custom in group.custom]
    pilot_tables = [f"pilot_{t}" for t in (*pilots.RAW_TABLES, "files")]
    loads.append((",".join(pilot_tables), lambda con, scratch: pilots.rebuild_raw_tables(con)))
    return loads


def raw_tables() -> set[str]:
    from orchestration.definitions import warehouse_definitions

    return {key.path[1] for key in warehouse_definitions().resolve_asset_graph().get_all_asset_keys() if key.path[0] == "raw"}


def check_floor_loads_everything() -> None:
    missing = raw_tables() - {t for tables, _ in raw_loads() for t in tables.split(",")}
    if missing:
        sys.exit(f"raw tables the floor does not load (see raw_loads): {', '.join(sorted(missing))}")


def compiled_models(home: Path, env: dict) -> list[tuple[str, str, str, str]]:
    """(schema, name, materialization, sql) of every dbt model, in dependency order, compiled as
    a first build compiles them (incremental models whole)."""
    target = home / "bench_compile"
    subprocess.run(["dbt", "compile", "--quiet", "--full-refresh", "--project-dir", "dbt_project",
                    "--profiles-dir", "dbt_project", "--target-path", str(target)],
                   cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL)
    nodes = json.loads((target / "manifest.json").read_text())["nodes"]
    models = {k: n for k, n in nodes.items() if n["resource_type"] == "model"}
    order = graphlib.TopologicalSorter({k: [d for d in n["depends_on"]["nodes"] if d in models]
                                        for k, n in models.items()}).static_order()
    return [(models[k]["schema"], models[k]["alias"], models[k]["config"]["materialized"], models[k]["compiled_code"])
            for k in order]


def floor(home: Path, models) -> float:
    """Seconds for one DuckDB connection on a new file to load every raw table and run
    every model. The file is named build.duckdb: compiled SQL names its database `build`."""
    import duckdb

    from orchestration import settings
    from orchestration.ingestion.load_log import create_raw_schema

    folder = Path(tempfile.mkdtemp(prefix="floor-", dir=home))
    started = time.perf_counter()
    con = duckdb.connect(str(folder / "build.duckdb"), config=settings.duckdb_config())  # the build's settings
    create_raw_schema(con)
    for _, load in raw_loads():
        load(con, folder / "scratch")
    for schema, name, materialized, sql in models:
        con.execute(f'create schema if not exists "{schema}"')
        con.execute(f'create {"view" if materialized.endswith("view") else "table"} "{schema}"."{name}" as {sql}')
    con.close()
    return time.perf_counter() - started


def step_kind(step_key: str) -> str:
    if step_key.startswith("dbt_"):
        return f"dbt step {step_key}"
    if step_key.endswith("_expectations"):
        return "quality checks (GX steps)"
    if step_key == "publish":
        return "publish"
    return "ingestion"


def run_profile(instance) -> dict[str, float]:
    """Seconds per step kind of the latest run, plus the run's own start and end."""
    from dagster import DagsterEventType

    run = instance.get_runs(limit=1)[0]
    profile: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for entry in instance.all_logs(run.run_id):
        event = entry.dagster_event
        if event is None:
            continue
        if event.event_type in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE):
            kind = step_kind(event.step_key)
            profile[kind] += event.event_specific_data.duration_ms / 1000
            counts[kind] += 1
        elif event.event_type == DagsterEventType.RUN_START:
            profile["run start"] = entry.timestamp
        elif event.event_type in (DagsterEventType.RUN_SUCCESS, DagsterEventType.RUN_FAILURE):
            profile["run end"] = entry.timestamp
    profile["steps"] = dict(counts)
    return profile


def tree_memory_kib(root: int) -> int:
    """Memory of a process and all its descendants, now: the sum of their proportional set sizes.
    Summing resident sizes would count each page the forked check processes share (the imported
    libraries) once per process."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat") as stat:
                    parents[int(entry.name)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [p for p, parent in parents.items() if parent == pid and p not in tree]
        tree.update(children)
        frontier += children
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                total += next(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
        except (OSError, StopIteration, IndexError, ValueError):
            continue
    return total


class TreePeak:
    """The largest total memory (proportional set size) of a process tree, sampled every `interval` seconds."""

    def __init__(self, root: int, interval: float = 0.2) -> None:
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(root, interval), daemon=True)
        self._thread.start()

    def _sample(self, root: int, interval: float) -> None:
        while not self._stop.is_set():
            self.peak_kib = max(self.peak_kib, tree_memory_kib(root))
            self._stop.wait(interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak_kib


def build(env: dict, args: tuple[str, ...] = (), profile: bool = True, tree_memory: bool = True) -> dict:
    """Run `python -m orchestration.build` (with `args`) in a subprocess: wall seconds, CPU seconds
    of its process tree, with `tree_memory` the tree's peak memory and, with `profile`, the run's
    time per step kind. Sampling the tree's memory takes about a fifth of a core (each sample
    reads every process's memory map), which a small build on two cores feels."""
    from dagster import DagsterInstance

    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started_at, started = time.time(), time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "orchestration.build", *args], cwd=REPO, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = TreePeak(process.pid) if tree_memory else None
    output, _ = process.communicate()
    elapsed, ended_at = time.perf_counter() - started, time.time()
    peak_kib = peak.stop() if peak else None
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode:
        sys.exit(f"build {' '.join(args)} failed:\n{output[-3000:]}")
    result: dict = {}
    if profile:
        with DagsterInstance.get() as instance:
            result = run_profile(instance)
        result["before the run starts (imports, workers)"] = result.pop("run start") - started_at
        result["after the run ends"] = ended_at - result.pop("run end")
    result["build"] = elapsed
    # CPU seconds of the build's process tree: steadier than wall time on a shared machine.
    result["cpu"] = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    if peak_kib is not None:
        result["peak_tree_mib"] = peak_kib / 1024
    return result
