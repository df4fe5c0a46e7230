-- Each registry city against the national reference set (the 486 places of 75k+ people the
-- Urban Institute covers) for every Urban metric, year and subgroup.
-- Two peer sets, each its own row (`peer_set`): `population`, reference places other than the
-- city whose population that year is between half and twice the city's (var
-- peer_population_ratio); `similar_conditions`, the city's nearest places on its conditions
-- (city_similar_places). A standard error is (ub - lb) / 3.92
-- where 95% bounds are published; the peer median's is that of the peer (or mean of the two
-- peers) at the median. The difference "exceeds the combined uncertainty" when
-- |city - peer median| > 1.96 * sqrt(se_city^2 + se_peer_median^2); null where either has no
-- bounds.
with metrics as (
    select
        *,
        (ub - lb) / 3.92 as se
    from {{ ref('int_urban_metrics') }}
),

populations as (
    select place_geoid, year, population
    from {{ ref('stg_census__place_population') }}
),

latest_populations as (
    {{ latest_population() }}
),

metric_populations as (
    select
        metrics.*,
        coalesce(populations.population, latest_populations.population) as population,
        {{ mid_rank_percentile('metrics.value', ['metrics.metric', 'metrics.year', 'metrics.subgroup_type', 'metrics.subgroup']) }}
            as pctl_national
    from metrics
    left join populations on populations.place_geoid = metrics.place_geoid and populations.year = metrics.year
    left join latest_populations on latest_populations.place_geoid = metrics.place_geoid
),

cities as (
    select metric_populations.*, registry.city_name, registry.state_abbr
    from metric_populations
    inner join {{ ref('dim_city') }} as registry on registry.city_geoid = metric_populations.place_geoid
),

peer_sets as (
    select 'population' as peer_set
    union all
    select 'similar_conditions' as peer_set
),

peer_rows as (
    select
        peer_sets.peer_set,
        cities.place_geoid as city_geoid,
        cities.metric,
        cities.year,
        cities.subgroup_type,
        cities.subgroup,
        candidates.place_geoid as peer_geoid,
        candidates.value,
        candidates.se
    from cities
    cross join peer_sets
    inner join metric_populations as candidates
        on candidates.metric = cities.metric
        and candidates.year = cities.year
        and candidates.subgroup_type = cities.subgroup_type
        and candidates.subgroup = cities.subgroup
        and candidates.place_geoid <> cities.place_geoid
    left join {{ ref('city_similar_places') }} as similar_places
        on similar_places.city_geoid = cities.place_geoid
        and similar_places.similar_geoid = candidates.place_geoid
    where (peer_sets.peer_set = 'population'
            and candidates.population between cities.population / {{ var('peer_population_ratio') }}
                and cities.population * {{ var('peer_population_ratio') }})
        or (peer_sets.peer_set = 'similar_conditions' and similar_places.similar_geoid is not null)
),

peers as (
    select
        *,
        row_number() over (
            partition by peer_set, city_geoid, metric, year, subgroup_type, subgroup
            order by value, peer_geoid
        ) as position,
        count(*) over (
            partition by peer_set, city_geoid, metric, year, subgroup_type, subgroup
        ) as count_peers
    from peer_rows
),

peer_medians as (
    select
        peer_set,
        city_geoid,
        metric,
        year,
        subgroup_type,
        subgroup,
        min(count_peers) as count_peers,
        median(value) as peer_median,
        -- The one or two peers at the median position.
        case when count(se) filter (where position in ({{ integer_divide('(count_peers + 1)', 2) }}, {{ integer_divide('count_peers', 2) }} + 1))
                = count(*) filter (where position in ({{ integer_divide('(count_peers + 1)', 2) }}, {{ integer_divide('count_peers', 2) }} + 1))
            then sqrt(sum(se * se) filter (where position in ({{ integer_divide('(count_peers + 1)', 2) }}, {{ integer_divide('count_peers', 2) }} + 1)))
                / count(*) filter (where position in ({{ integer_divide('(count_peers + 1)', 2) }}, {{ integer_divide('count_peers', 2) }} + 1))
        end as peer_median_se
    from peers
    group by peer_set, city_geoid, metric, year, subgroup_type, subgroup
)

select
    cities.place_geoid as city_geoid,
    cities.city_name,
    cities.state_abbr as state,
    cities.metric,
    cities.year,
    cities.subgroup_type,
    cities.subgroup,
    cities.value,
    cities.lb,
    cities.ub,
    cities.se,
    cities.quality,
    cities.pctl_national,
    cities.population,
    peer_sets.peer_set,
    coalesce(peer_medians.count_peers, 0) as count_peers,
    peer_medians.peer_median,
    peer_medians.peer_median_se,
    cities.value - peer_medians.peer_median as difference,
    case when cities.se is not null and peer_medians.peer_median_se is not null
        then abs(cities.value - peer_medians.peer_median)
            > 1.96 * {{ combined_se('cities.se', 'peer_medians.peer_median_se') }}
    end as difference_exceeds_uncertainty,
    cities.source
from cities
cross join peer_sets
left join peer_medians
    on peer_medians.peer_set = peer_sets.peer_set
    and peer_medians.city_geoid = cities.place_geoid
    and peer_medians.metric = cities.metric
    and peer_medians.year = cities.year
    and peer_medians.subgroup_type = cities.subgroup_type
    and peer_medians.subgroup = cities.subgroup
