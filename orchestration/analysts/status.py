"""`mobility status`: what analysts and leaders are reading, and how current it is.

Reads the analysts' file only (its `audit` schema: the publication log, each mart's
materialization and each check's result when it was published) and counts the files waiting in
the pilot landing zone. Opens nothing for writing, never touches the build file, and loads
neither Dagster nor dbt.
"""

from datetime import datetime, timedelta, timezone

from orchestration.analysts import published
from orchestration.files.landing_zone import pending_uploads, quarantined


def age(moment: datetime, now: datetime) -> str:
    seconds = (now - moment).total_seconds()
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'s' if count > 1 else ''} ago"
    return "just now"


def shown(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def freshness_state(materialized: datetime | None, now: datetime, late_after: timedelta,
                    stale_after: timedelta) -> str:
    if materialized is None:
        return "never materialized"
    if now - materialized > stale_after:
        return "stale"
    if now - materialized > late_after:
        return "late"
    return "fresh"


def in_words(window: timedelta) -> str:
    days, hours = window.days, window.seconds // 3600
    return f"{days} days" + (f" {hours} hours" if hours else "")


def utc(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=timezone.utc) if moment else None


def check_lines(asset: str, check: str, passed: bool, severity: str, description: str, evaluated: datetime) -> list[str]:
    """One line per check; a failing check's first rule on the next."""
    result = "passed" if passed else severity
    lines = [f"  {result:<7} {asset:<44} {check[:32]:<32} {shown(evaluated)}"]
    if not passed:
        lines.append(f"          {(description or '').splitlines()[0][:110]}")
    return lines


def report(now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    lines = [f"Analysts' file: {published.path()}"]
    with published.reader() as con:
        log = con.execute("select published_at_utc, run_id, storage_version from audit.publications "
                          "order by published_at_utc desc").fetchall()
        names = dict(con.execute("select city_geoid, city_name from marts.dim_city").fetchall())
        freshness = con.execute("select asset_key, materialized_at_utc, late_after_hours, stale_after_hours "
                                "from audit.freshness order by asset_key").fetchall()
        checks = con.execute("select asset_key, check_name, passed, severity, description, evaluated_at_utc "
                             "from audit.checks order by passed, asset_key, check_name").fetchall()
        cities = [city for (city,) in con.execute("select city_geoid from audit.pilot_cities order by 1").fetchall()]
    published_at, run_id, storage = log[0]
    published_at = utc(published_at)
    lines += [f"  published {shown(published_at)} ({age(published_at, now)}) by run {run_id or 'outside Dagster'}",
              f"  {len(log)} publication(s) logged; storage format {storage} (DuckDB 1.4 LTS, 1.5 and 2.x clients)"]

    if freshness:
        late, stale = (timedelta(hours=hours) for hours in freshness[0][2:])
        lines += ["", f"Freshness (refreshed weekly: late after {in_words(late)}, stale after {in_words(stale)})"]
    else:
        lines += ["", "Freshness: not recorded in this file"]
    for asset, moment, late_hours, stale_hours in freshness:
        moment = utc(moment)
        state = freshness_state(moment, now, timedelta(hours=late_hours), timedelta(hours=stale_hours))
        when = f"{shown(moment)} ({age(moment, now)})" if moment else "-"
        lines.append(f"  {state:<18} {asset:<40} {when}")

    lines += ["", "Pilot uploads waiting in the landing zone", f"  {'city':<28} {'pending':>8} {'quarantined':>12}"]
    for city in cities:
        label = f"{names.get(city, '')} ({city})"
        lines.append(f"  {label:<28} {len(pending_uploads(city)):>8} {len(quarantined(city)):>12}")

    failing = sum(1 for check in checks if not check[2])
    lines += ["", f"Checks: latest result of each, when published ({len(checks) - failing} passed, {failing} not)"]
    lines += [line for check in checks for line in check_lines(*check[:5], utc(check[5]))]
    return "\n".join(lines)
