-- Atlas outcomes per city: one row per place x outcome x subgroup for every place with Atlas
-- tract data, with the place's percentile among the national reference set (places of 75k+).
with place_outcomes as (
    select * from {{ ref('int_area_outcomes') }}
    where area_type = 'place'
),

places as (
    select * from {{ ref('int_places') }}
),

ranked as (
    select
        place_outcomes.*,
        places.city_name,
        places.state_abbr,
        places.is_reference_place,
        places.is_registry_city,
        case when places.is_reference_place and place_outcomes.estimate is not null then 1 else 0 end as in_reference
    from place_outcomes
    inner join places on places.city_geoid = place_outcomes.area_geoid
),

percentiles as (
    select
        *,
        {{ mid_rank_percentile('estimate', ['outcome', 'race', 'gender', 'parent_pctile'], weight='in_reference') }}
            as pctl_national
    from ranked
)

select
    area_geoid as city_geoid,
    city_name,
    state_abbr as state,
    outcome,
    race,
    gender,
    parent_pctile,
    estimate,
    se,
    lb,
    ub,
    count_children,
    cast(population_covered as bigint) as population_weight,
    weight_basis,
    count_tracts,
    count_tracts_area as count_tracts_city,
    coverage_share,
    cv,
    quality,
    quality_basis,
    suppressed,
    pctl_national,
    is_reference_place,
    is_registry_city,
    unit,
    source
from percentiles
