-- Every 2010 tract of every registry city with each Atlas outcome, ranked within its city and
-- placed nationally. Tracts without an estimate for an outcome keep a row with nulls, so a
-- city's tract list is complete for every outcome it has.
with tract_outcomes as (
    select
        *,
        -- Among all US tracts with this outcome.
        {{ mid_rank_percentile('estimate', ['outcome', 'race', 'gender', 'parent_pctile']) }} as pctl_national
    from {{ ref('int_tract_outcomes') }}
),

city_tracts as (
    select tract_city.*
    from {{ ref('int_tract_city') }} as tract_city
    inner join {{ ref('dim_city') }} as cities on cities.city_geoid = tract_city.city_geoid
    where tract_city.tract_vintage = 2010
),

city_outcome_keys as (
    select distinct city_tracts.city_geoid, outcome, race, gender, parent_pctile, unit, source
    from city_tracts
    inner join tract_outcomes on tract_outcomes.tract_geoid = city_tracts.tract_geoid
),

neighbourhood_names as (
    select tract_geoid, atlas_name from {{ ref('stg_atlas__tract_household_income') }}
),

tract_rows as (
    select
        city_tracts.tract_geoid,
        city_tracts.city_geoid,
        city_tracts.city_name,
        city_tracts.county_geoid,
        neighbourhood_names.atlas_name,
        city_tracts.population,
        city_tracts.latitude,
        city_tracts.longitude,
        keys.outcome,
        keys.race,
        keys.gender,
        keys.parent_pctile,
        tract_outcomes.estimate,
        tract_outcomes.se,
        tract_outcomes.count_children,
        tract_outcomes.pctl_national,
        coalesce(tract_outcomes.is_excluded_from_means, false) as is_excluded_from_means,
        keys.unit,
        keys.source
    from city_tracts
    inner join city_outcome_keys as keys on keys.city_geoid = city_tracts.city_geoid
    left join tract_outcomes
        on tract_outcomes.tract_geoid = city_tracts.tract_geoid
        and tract_outcomes.outcome = keys.outcome
        and tract_outcomes.race = keys.race
        and tract_outcomes.gender = keys.gender
        and tract_outcomes.parent_pctile = keys.parent_pctile
    left join neighbourhood_names on neighbourhood_names.tract_geoid = city_tracts.tract_geoid
),

ranked as (
    select
        *,
        case when estimate is not null then rank() over (
            partition by city_geoid, outcome, race, gender, parent_pctile, estimate is null
            order by estimate desc
        ) end as rank_in_city,
        -- Tied tracts on a quintile boundary go by GEOID: the same quintiles on every build and engine.
        case when estimate is not null then ntile(5) over (
            partition by city_geoid, outcome, race, gender, parent_pctile, estimate is null
            order by estimate, tract_geoid
        ) end as quintile_in_city,
        count(estimate) over (partition by city_geoid, outcome, race, gender, parent_pctile) as count_ranked_tracts
    from tract_rows
)

select
    tract_geoid,
    city_geoid,
    city_name,
    county_geoid,
    atlas_name,
    population,
    latitude,
    longitude,
    outcome,
    race,
    gender,
    parent_pctile,
    estimate,
    se,
    count_children,
    cast(rank_in_city as integer) as rank_in_city,
    cast(count_ranked_tracts as integer) as count_ranked_tracts,
    cast(quintile_in_city as integer) as quintile_in_city,
    pctl_national,
    coalesce(quintile_in_city = 5, false) as is_highest_opportunity,
    coalesce(quintile_in_city = 1, false) as is_lowest_opportunity,
    is_excluded_from_means,
    unit,
    source
from ranked
