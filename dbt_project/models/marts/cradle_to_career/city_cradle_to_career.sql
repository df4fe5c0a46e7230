-- Cradle-to-career milestones per place, side by side: one row per place x measure x year x
-- subgroup, in StriveTogether's order, with value, bounds and quality as published, the
-- place's percentile among the national reference set (places of 75k+) and the median of its
-- peers: the other reference places with between 1 / peer_population_ratio and
-- peer_population_ratio times its population that year (the peer set of
-- city_peer_comparison), found with a window over log population. A value resting on fewer
-- than small_cell_min people is withheld. Places given a county's (or a jurisdiction's) value
-- are compared by that value.
{% set partition = 'source, measure, year, subgroup_type, subgroup' %}

with place_values as (
    select * from {{ ref('int_c2c_place_values') }}
    {{ union_all_by_name() }}
    select * from {{ ref('int_c2c_county_values') }}
),

places as (
    select * from {{ ref('int_c2c_places') }}
),

populations as (
    select place_geoid, year, population from {{ ref('stg_census__place_population') }}
),

latest_populations as (
    {{ latest_population() }}
),

catalogued as (
    select
        place_values.*,
        measures.measure,
        measures.milestone,
        measures.role as measure_role,
        measures.description as measure_description,
        measures.unit,
        milestones.milestone_order,
        milestones.stage,
        places.place_name,
        places.state_abbr,
        places.is_reference_place,
        places.is_registry_city,
        coalesce(populations.population, latest_populations.population) as population,
        coalesce(place_values.count_denominator < {{ var('small_cell_min') }}, false) as suppressed
    from place_values
    inner join places using (place_geoid)
    inner join {{ ref('stg_cradle_to_career__measures') }} as measures using (source, source_measure)
    inner join {{ ref('stg_cradle_to_career__milestones') }} as milestones using (milestone)
    left join populations using (place_geoid, year)
    left join latest_populations using (place_geoid)
),

published as (
    select
        {{ star_replace({
            'value': 'case when not suppressed then value end',
            'lb': 'case when not suppressed then lb end',
            'ub': 'case when not suppressed then ub end',
        }) }},
        case when is_reference_place and not suppressed and value is not null then 1 else 0 end as in_reference
    from catalogued
),

compared as (
    select
        *,
        {{ mid_rank_percentile('value', partition.split(', '), weight='in_reference') }} as pctl_national,
        median(case when in_reference = 1 then value end) over (partition by {{ partition }}) as national_median,
        case when population is not null then
            {{ peer_aggregate('median', 'case when in_reference = 1 then value end', partition, 'population',
                var('peer_population_ratio'), 'place_geoid') }}
        end as peer_median,
        case when population is not null then
            {{ peer_aggregate('count', 'case when in_reference = 1 then value end', partition, 'population',
                var('peer_population_ratio'), 'place_geoid') }}
        else 0 end as count_peers
    from published
)

select
    place_geoid,
    place_name,
    state_abbr as state,
    is_registry_city,
    milestone_order,
    stage,
    milestone,
    measure,
    measure_role,
    measure_description,
    unit,
    year,
    subgroup_type,
    subgroup,
    geography,
    geography_name,
    value,
    lb,
    ub,
    quality,
    cast(count_denominator as double) as count_denominator,
    suppressed,
    pctl_national,
    national_median,
    population,
    count_peers,
    peer_median,
    source
from compared
