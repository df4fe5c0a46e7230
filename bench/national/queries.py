"""Five typical analyst queries on the published file, each timed over repeated runs on one
read-only connection (as an analyst's session runs them)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import duckdb

RUNS = 20

# (name, SQL): what the README and the briefs ask of the marts.
QUERIES = [
    ("registry cities ranked by upward mobility", """
        select m.city_name, m.state, round(m.estimate) as household_income_at_35,
               round(m.pctl_national, 1) as pctl_among_75k_places, round(r.estimate, 1) as income_rank,
               round(g.gap, 1) as white_black_rank_gap, m.count_tracts, m.quality
        from marts.city_mobility m
        join marts.city_mobility r
          on r.city_geoid = m.city_geoid and r.outcome = 'income_rank_p25' and r.race = 'pooled'
        left join marts.city_mobility_gaps g
          on g.city_geoid = m.city_geoid and g.outcome = 'income_rank_p25' and g.race_comparison = 'black'
        where m.is_registry_city and m.outcome = 'household_income_at_35_p25'
        order by m.estimate desc"""),
    ("places by Black children's household income rank, with intervals", """
        select city_name, state, estimate, se, lb, ub, count_tracts, quality, pctl_national
        from marts.city_mobility
        where outcome = 'kfr' and race = 'black' and gender = 'pooled' and parent_pctile = 25
          and not suppressed and is_reference_place
        order by estimate desc
        limit 50"""),
    ("a city's highest- and lowest-opportunity neighbourhoods", """
        select tract_geoid, atlas_name, estimate, rank_in_city, quintile_in_city, pctl_national
        from marts.tract_opportunity
        where city_geoid = '3915000' and outcome = 'household_income_at_35_p25'
          and (is_highest_opportunity or is_lowest_opportunity)
        order by rank_in_city"""),
    ("a city's indicators over the years", """
        select metric, subgroup, year, value, lb, ub, quality
        from marts.city_indicators
        where city_geoid = '4075000'
        order by metric, subgroup, year"""),
    ("pilot months: share reaching the main outcome by arm", """
        select m.pilot_id, m.month, m.arm, m.count_enrolled, m.share_reached_of_measured
        from marts.pilot_monthly_indicators m
        join marts.what_works w on w.pilot_id = m.pilot_id and w.primary_outcome = m.outcome
        where w.pilot_topic = 'workforce'
        order by m.pilot_id, m.month, m.arm"""),
]


def median_latencies(published: Path, runs: int = RUNS) -> list[tuple[str, float, int]]:
    """(query, median milliseconds, rows) per query; the first run of each is not counted."""
    con = duckdb.connect(str(published), read_only=True)
    try:
        results = []
        for name, sql in QUERIES:
            rows = len(con.execute(sql).fetchall())
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                con.execute(sql).fetchall()
                times.append((time.perf_counter() - started) * 1000)
            results.append((name, statistics.median(times), rows))
        return results
    finally:
        con.close()
