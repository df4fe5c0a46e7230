"""`bench/run --scale S`: the warehouse built from generated national-scale inputs.

In its own MOBILITY_HOME, pointed at the inputs through the usual settings, it drops every
city's history uploads into the landing zone and builds once (the first build, which also takes
the uploads in). Then each round alternates a full build (`python -m orchestration.build`),
the engine floor, and a refresh: one city's next month dropped and taken in
(`python -m orchestration.build --pilot-city`), a different city each round. Then the analyst
queries on the published file, and the full build at smaller scales for the growth.
"""

from __future__ import annotations

import json
import os
import shutil
import secrets
import statistics
import subprocess
import sys
from pathlib import Path

from bench.harness import REPO, build, check_floor_loads_everything, compiled_models, floor
from bench.national import fingerprint, pilots, queries

# Pseudonymises the generated uploads (they hold no person). Real uploads need a secret key,
# so each bench run makes one: none is kept in the repository.
BENCH_PII_KEY = secrets.token_hex(32)
CHECKS = "quality checks (GX steps)"


def inputs_for(folder: Path, scale: float) -> dict:
    """The manifest of generated inputs of this scale in `folder`, generating them when missing
    or made by another version of the generator or the bundled files."""
    manifest = folder / "manifest.json"
    made = json.loads(manifest.read_text()) if manifest.exists() else {}
    if (made.get("scale"), made.get("fingerprint")) != (scale, fingerprint()):
        subprocess.run([sys.executable, str(REPO / "bench" / "generate"), str(folder), "--scale", str(scale)],
                       check=True)
    return json.loads(manifest.read_text())


def environment(home: Path, inputs: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    env |= inputs["environment"] | {"MOBILITY_HOME": str(home), "MOBILITY_PII_KEY": BENCH_PII_KEY}
    return env


def drop(home: Path, inputs: dict, city: str, period: str) -> None:
    """Copy a city's generated uploads of `period` into its landing folder."""
    source = Path(inputs["environment"]["MOBILITY_SOURCE_DIR"]).parent / "uploads" / city
    landing = home / "landing" / "pilots" / city
    landing.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob(f"*_{period}.csv")):
        shutil.copy(path, landing / path.name)


def first_build(home: Path, inputs: dict, env: dict) -> dict:
    subprocess.run([sys.executable, "-m", "orchestration.prepare"], cwd=REPO, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    for pilot in inputs["pilots"]:
        drop(home, inputs, pilot["city_geoid"], inputs["uploads"]["history"])
    first = build(env, profile=False)
    refused = sorted((home / "landing" / "pilots").glob("*/quarantine/*.report.json"))
    if refused:  # a build that took in no pilot would be measured as if it had
        raise SystemExit(f"the first build quarantined {len(refused)} generated uploads, e.g. {refused[0]}: "
                         f"{json.loads(refused[0].read_text())['breaches'][0]['rule']}")
    return first


def growth_point(scale: float, home: Path, rounds: int) -> dict:
    """Median full build at `scale`, in a home of its own (removed after)."""
    folder = home / f"growth-{scale}"
    inputs = inputs_for(folder / "inputs", scale)
    env = environment(folder, inputs)
    first = first_build(folder, inputs, env)
    builds = [build(env, profile=False) for _ in range(rounds)]
    shutil.rmtree(folder, ignore_errors=True)
    median = sorted(builds, key=lambda b: b["build"])[len(builds) // 2]
    return {"scale": scale, "build": median["build"], "first": first["build"],
            "peak": max(b["peak_tree_mib"] for b in [first, *builds])}


def measure(scale: float, home: Path, inputs_dir: Path, rounds: int, growth: list[float]) -> None:
    inputs = inputs_for(inputs_dir, scale)
    os.environ.pop("DAGSTER_HOME", None)
    os.environ.update(environment(home, inputs))
    from orchestration import settings

    settings.export_environment()  # DAGSTER_HOME under the home, for reading the runs' profiles
    env = dict(os.environ)
    rows = inputs["count_pilot_rows"]
    print(f"scale {scale}: {inputs['count_tracts_2010']:,} tracts, {len(inputs['pilots'])} pilot cities, "
          f"{sum(rows.values()):,} pilot rows; home {home}")
    first = first_build(home, inputs, env)
    print(f"  first build (takes in {len(inputs['pilots']) * 3} uploads): {first['build']:.1f} s, "
          f"peak {first['peak_tree_mib']:.0f} MiB")
    check_floor_loads_everything()
    models = compiled_models(home, env)

    builds, floors, refreshes = [], [], []
    cities = [p["city_geoid"] for p in inputs["pilots"]]
    for round_ in range(rounds):
        builds.append(build(env))
        floors.append(floor(home, models))
        city = cities[round_ % len(cities)]
        drop(home, inputs, city, inputs["uploads"]["refresh_month"])
        refreshes.append(build(env, ("--pilot-city", city)))
        print(f"  round {round_ + 1}: build {builds[-1]['build']:6.1f} s ({builds[-1]['cpu']:.1f} s CPU)   "
              f"floor {floors[-1]:5.1f} s   refresh of {city} {refreshes[-1]['build']:5.1f} s")
    latencies = queries.median_latencies(home / "mobility.duckdb")
    points = [growth_point(g, home, rounds) for g in growth]
    report(scale, builds, floors, refreshes, first, latencies, points, len(models))


def median_of(runs: list[dict]) -> dict:
    return sorted(runs, key=lambda r: r["build"])[len(runs) // 2]


def report(scale, builds, floors, refreshes, first, latencies, points, count_models) -> None:
    shown, refresh = median_of(builds), median_of(refreshes)
    build_s, floor_s = shown["build"], statistics.median(floors)
    steps = shown["steps"]
    print(f"\nfull build, the median of {len(builds)} ({sum(steps.values())} steps), and a refresh "
          f"(one city's new month), the median of {len(refreshes)}:")
    kinds = [k for k in shown if k not in ("build", "cpu", "peak_tree_mib", "steps")]
    kinds.sort(key=shown.get, reverse=True)
    print(f"  {'':<46} {'full':>8} {'refresh':>8}")
    for kind in kinds:
        label = f"{kind} ({steps[kind]})" if kind in steps else kind
        print(f"  {label:<46} {shown[kind]:6.1f} s {refresh.get(kind, 0.0):6.1f} s")
    between = [r["build"] - sum(r.get(k, 0.0) for k in kinds) for r in (shown, refresh)]
    print(f"  {'Dagster between steps':<46} {between[0]:6.1f} s {between[1]:6.1f} s")
    print(f"  {'total':<46} {build_s:6.1f} s {refresh['build']:6.1f} s   "
          f"(CPU {shown['cpu']:.1f} s / {refresh['cpu']:.1f} s)")
    print(f"floor (DuckDB alone, {count_models} models): {floor_s:.1f} s, the median of {len(floors)}")
    peak = max(r["peak_tree_mib"] for r in [first, *builds, *refreshes])
    print(f"peak memory of a run's process tree: full {shown['peak_tree_mib']:.0f} MiB, refresh "
          f"{refresh['peak_tree_mib']:.0f} MiB, first build {first['peak_tree_mib']:.0f} MiB")

    print(f"\nanalyst queries on the published file, median of {queries.RUNS} runs:")
    for name, ms, rows in latencies:
        print(f"  {name:<66} {ms:7.1f} ms  ({rows} rows)")

    points = [*points, {"scale": scale, "build": build_s, "first": first["build"], "peak": peak}]
    print("\ngrowth of the full build:")
    print(f"  {'scale':>6} {'build s':>9} {'x of scale ' + str(scale):>16} {'first build s':>14} {'peak MiB':>9}")
    for point in points:
        print(f"  {point['scale']:>6} {point['build']:9.1f} {point['build'] / build_s:16.2f} "
              f"{point['first']:14.1f} {point['peak']:9.0f}")

    checks_share = shown.get(CHECKS, 0.0) / build_s
    worst = max(ms for _, ms, _ in latencies)
    print(f"scale={scale} build_s={build_s:.1f} floor_s={floor_s:.1f} ratio={build_s / floor_s:.2f} "
          f"checks_share={checks_share:.2f} incremental_share={refresh['build'] / build_s:.2f} "
          f"peak_rss_mib={peak:.0f} query_ms={worst:.1f}")
