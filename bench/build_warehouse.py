"""Where the time of a bundled build goes: interpreter start and imports, dbt parse, and each
step of the `build_warehouse` job (ingestion, dbt layers, checks, publish), cold and warm.

Run: `make bench` (or `.venv/bin/python bench/build_warehouse.py`). Prints figures; asserts nothing.
"""

import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def timed(label: str, argv: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(argv, cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    print(f"{label:<44} {elapsed:7.1f} s")
    return elapsed


def step_kind(step_key: str) -> str:
    if step_key.startswith("dbt_"):
        return f"dbt {step_key[4:]} (one dbt build)"
    if step_key.startswith("raw__"):
        return "ingestion (raw tables)"
    if step_key.endswith("_expectations"):
        return "quality checks (GX suites)"
    return step_key


def step_profile(home: Path) -> None:
    """Runs the job once in this process and sums step durations by kind."""
    os.environ["MOBILITY_HOME"] = str(home)
    os.environ.pop("DAGSTER_HOME", None)
    sys.path.insert(0, str(REPO))
    from dagster import DagsterInstance

    from orchestration import settings

    settings.export_environment()
    from orchestration.definitions import defs
    from orchestration.quality.checks import warm_workers

    warm_workers()  # as `make warehouse` does
    with DagsterInstance.ephemeral() as instance:
        started = time.perf_counter()
        result = defs.resolve_job_def("build_warehouse").execute_in_process(instance=instance)
        total = time.perf_counter() - started
        entries = [e for e in instance.all_logs(result.run_id) if e.dagster_event]
    starts, durations = {}, defaultdict(float)
    counts = defaultdict(int)
    for entry in entries:
        event = entry.dagster_event
        if event.event_type_value == "STEP_START":
            starts[event.step_key] = entry.timestamp
        elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE") and event.step_key in starts:
            kind = step_kind(event.step_key)
            durations[kind] += entry.timestamp - starts[event.step_key]
            counts[kind] += 1
    print(f"\nwarm in-process run of build_warehouse: {total:.1f} s")
    for kind, seconds in sorted(durations.items(), key=lambda kv: -kv[1]):
        print(f"  {kind:<42} {seconds:6.1f} s  ({counts[kind]} steps, {100 * seconds / total:4.1f}%)")
    print(f"  {'Dagster overhead between steps':<42} {total - sum(durations.values()):6.1f} s")


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="mobility-bench-"))
    env = {**os.environ, "MOBILITY_HOME": str(home)}
    env.pop("DAGSTER_HOME", None)
    python = sys.executable
    print(f"bench home: {home}\n")
    timed("dbt parse (cold manifest)", [python, "-m", "orchestration.prepare"], env)
    timed("interpreter + import of the definitions", [python, "-c", "import orchestration.definitions"], env)
    timed("dbt parse (partial parse, warm)", [python, "-m", "orchestration.prepare"], env)
    timed("make warehouse equivalent, first build", [python, "-m", "orchestration.build"], env)
    timed("make warehouse equivalent, warm rebuild", [python, "-m", "orchestration.build"], env)
    step_profile(home)


if __name__ == "__main__":
    main()
