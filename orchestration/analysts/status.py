"""`mobility status`: what analysts and leaders are reading, and how current it is.

Reads the analysts' file (its publication log), the Dagster instance under DAGSTER_HOME (each
check's latest result, each mart's latest materialization) and the pilot landing zone. Opens
nothing for writing and never touches the build file.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from orchestration import settings
from orchestration.analysts import published
from orchestration.pilots import intake, registry


@dataclass
class Freshness:
    asset: str
    materialized: datetime | None
    state: str  # fresh | late | stale | never materialized


def age(moment: datetime, now: datetime) -> str:
    seconds = (now - moment).total_seconds()
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'s' if count > 1 else ''} ago"
    return "just now"


def shown(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def freshness_state(materialized: datetime | None, now: datetime) -> str:
    from orchestration.runs.automation import WEEKLY_FRESHNESS

    if materialized is None:
        return "never materialized"
    if now - materialized > WEEKLY_FRESHNESS.fail_window.to_timedelta():
        return "stale"
    if now - materialized > WEEKLY_FRESHNESS.warn_window.to_timedelta():
        return "late"
    return "fresh"


def instance_records(marts: list[str]):
    """Each check's latest evaluation and each mart's (and publish's) latest materialization."""
    from dagster import AssetKey, DagsterEventType, DagsterInstance, EventRecordsFilter

    instance_dir = settings.dagster_home()
    if not (instance_dir / "dagster.yaml").exists():
        return {}, {}
    with DagsterInstance.from_config(str(instance_dir)) as instance:
        checks = {}
        for record in instance.get_event_records(
            EventRecordsFilter(event_type=DagsterEventType.ASSET_CHECK_EVALUATION), limit=5000, ascending=False
        ):
            evaluation = record.event_log_entry.dagster_event.event_specific_data
            key = (evaluation.asset_key.to_user_string(), evaluation.check_name)
            checks.setdefault(key, (evaluation, record.timestamp))
        keys = [AssetKey(["marts", m]) for m in marts] + [AssetKey(["publish"])]
        latest = instance.get_latest_materialization_events(keys)
    materialized = {key.to_user_string(): datetime.fromtimestamp(event.timestamp, timezone.utc) if event else None
                    for key, event in latest.items()}
    return checks, materialized


def check_lines(key: tuple[str, str], evaluation, timestamp: float) -> list[str]:
    """One line per check; a failing check's first rule on the next."""
    result = "passed" if evaluation.passed else evaluation.severity.value
    when = shown(datetime.fromtimestamp(timestamp, timezone.utc))
    lines = [f"  {result:<7} {key[0]:<44} {key[1][:32]:<32} {when}"]
    if not evaluation.passed:
        lines.append(f"          {(evaluation.description or '').splitlines()[0][:110]}")
    return lines


def uploads(names: dict[str, str]) -> list[tuple[str, int, int]]:
    """Per pilot city: files waiting in its landing folder, and files quarantined there."""
    rows = []
    for city in registry.pilot_cities():
        quarantine = intake.landing_dir(city) / "quarantine"
        quarantined = [p for p in quarantine.glob("*") if not p.name.endswith(".report.json")]
        rows.append((f"{names.get(city, '')} ({city})", len(intake.pending_uploads(city)), len(quarantined)))
    return rows


def report(now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    lines = [f"Analysts' file: {published.path()}"]
    with published.reader() as con:
        log = con.execute("select published_at_utc, run_id, storage_version from audit.publications "
                          "order by published_at_utc desc").fetchall()
        marts = published.mart_tables(con)
        names = dict(con.execute("select city_geoid, city_name from marts.dim_city").fetchall())
    published_at, run_id, storage = log[0]
    published_at = published_at.replace(tzinfo=timezone.utc)
    lines += [f"  published {shown(published_at)} ({age(published_at, now)}) by run {run_id or 'outside Dagster'}",
              f"  {len(log)} publication(s) logged; storage format {storage} (DuckDB 1.4 LTS, 1.5 and 2.x clients)"]

    checks, materialized = instance_records(marts)

    lines += ["", "Freshness (refreshed weekly: late after 7 days 12 hours, stale after 14 days)"]
    for asset, moment in sorted(materialized.items()):
        when = f"{shown(moment)} ({age(moment, now)})" if moment else "-"
        lines.append(f"  {freshness_state(moment, now):<18} {asset:<40} {when}")
    if not materialized:
        lines.append(f"  unknown: no Dagster instance at {settings.dagster_home()}")

    lines += ["", "Pilot uploads waiting in the landing zone", f"  {'city':<28} {'pending':>8} {'quarantined':>12}"]
    lines += [f"  {city:<28} {pending:>8} {quarantined:>12}" for city, pending, quarantined in uploads(names)]

    failing = {k: v for k, v in checks.items() if not v[0].passed}
    lines += ["", f"Checks: latest result of each ({len(checks) - len(failing)} passed, {len(failing)} not)"]
    ordered = sorted(checks.items(), key=lambda item: (item[1][0].passed, item[0]))
    lines += [line for key, (evaluation, timestamp) in ordered for line in check_lines(key, evaluation, timestamp)]
    return "\n".join(lines)
