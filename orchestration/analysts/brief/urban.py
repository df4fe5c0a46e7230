"""The Urban Institute's metrics of a place as the brief reads them: every place's values (with
interval and quality flag) from `city_indicators`, and, for registry cities, the median of
similar-size cities from `city_peer_comparison` (its population peer set, where it has several)."""

COLUMNS = "metric, year, subgroup_type, subgroup, value, lb, ub, quality, peer_median, count_peers, exceeds"

QUERY = """
with values_of_place as (
    select metric, year, subgroup_type, subgroup, value, lb, ub, quality
    from marts.city_indicators
    where city_geoid = $place and value is not null and subgroup_type in ('all', 'race-ethnicity') {where}
),
peers as (
    select metric, year, subgroup_type, subgroup, peer_median, count_peers, difference_exceeds_uncertainty
    from marts.city_peer_comparison
    where city_geoid = $place {peer_set}
)
select values_of_place.*, peers.peer_median, peers.count_peers, peers.difference_exceeds_uncertainty as exceeds
from values_of_place
left join peers using (metric, year, subgroup_type, subgroup)
order by metric, year, subgroup_type, subgroup
"""


def peer_set(con) -> str:
    has = con.execute("select count(*) from information_schema.columns where table_schema = 'marts' "
                      "and table_name = 'city_peer_comparison' and column_name = 'peer_set'").fetchone()[0]
    return "and peer_set = 'population'" if has else ""


def metrics(con, city_geoid: str, latest_only: bool = True, names: tuple[str, ...] = ()) -> list[dict]:
    """Rows as dicts of COLUMNS: the latest year of each metric, or every year of `names`."""
    where = "qualify year = max(year) over (partition by metric)" if latest_only else ""
    if names:
        where = f"and metric in ({', '.join(repr(n) for n in names)}) " + where
    sql = QUERY.format(where=where, peer_set=peer_set(con))
    return [dict(zip(COLUMNS.split(", "), row)) for row in con.execute(sql, {"place": city_geoid}).fetchall()]
