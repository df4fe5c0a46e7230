"""The landing-zone sensor: a new file in `MOBILITY_HOME/landing/pilots/<city_geoid>/`
starts a `pilot_city_intake` run for that city's partition.

Cities come from the program registry, so a new city's folder is watched as soon as its
pilot is registered. A file is "new" by name, size and modification time: the run key is
built from them, so Dagster starts one run per change and never twice for the same state;
touching or re-dropping a file (e.g. after setting a missing key) asks again.
"""


import hashlib

from dagster import DefaultSensorStatus, RunRequest, SensorEvaluationContext, SensorResult, SkipReason, sensor

from orchestration.pilots import intake, registry
from orchestration.pilots.assets import pilot_city, pilot_city_job


def landing_fingerprint(city_geoid: str) -> "str | None":
    files = intake.pending_uploads(city_geoid)
    if not files:
        return None
    state = "\n".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files)
    return hashlib.sha256(state.encode()).hexdigest()[:16]


@sensor(
    job=pilot_city_job,
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.RUNNING,
    description="Starts a per-city pilot intake run when files land in MOBILITY_HOME/landing/pilots/<city_geoid>/.",
)
def pilot_landing_sensor(context: SensorEvaluationContext):
    cities = registry.pilot_cities()
    known = set(context.instance.get_dynamic_partitions(pilot_city.name))
    requests = []
    for city in cities:
        fingerprint = landing_fingerprint(city)
        if fingerprint:
            requests.append(RunRequest(run_key=f"{city}:{fingerprint}", partition_key=city,
                                       tags={"pilot_city": city}))
    new_cities = [c for c in cities if c not in known]
    if not requests and not new_cities:
        return SkipReason("no new pilot uploads")
    return SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[pilot_city.build_add_request(new_cities)] if new_cities else [],
    )
