-- Every 2010 tract of every place with each Atlas outcome (pooled outcomes outside the registry
-- cities), ranked within its place and placed nationally, beside the tract's ACS 2014-2018 conditions, for targeting. Tracts without an
-- estimate for an outcome keep a row with nulls, so a place's tract list is complete for every
-- outcome it has. A priority tract is in the place's lowest quintiles on the outcome (var
-- priority_max_opportunity_quintile) and its most deprived quintiles on the deprivation index
-- (var priority_min_deprivation_quintile): where low mobility and deprivation meet.
with tract_outcomes as (
    select
        *,
        -- Among all US tracts with this outcome.
        {{ mid_rank_percentile('estimate', ['outcome', 'race', 'gender', 'parent_pctile']) }} as pctl_national
    from {{ ref('int_tract_outcomes') }}
),

city_tracts as (
    select *
    from {{ ref('int_tract_city') }}
    where tract_vintage = 2010
),

conditions as (
    select
        conditions.*,
        -- Tied tracts on a quintile boundary go by GEOID, as the outcome quintiles do.
        case when conditions.deprivation_index is not null then ntile(5) over (
            partition by city_tracts.city_geoid, conditions.deprivation_index is null
            order by conditions.deprivation_index, conditions.tract_geoid
        ) end as deprivation_quintile_in_city
    from {{ ref('int_tract_conditions') }} as conditions
    inner join city_tracts on city_tracts.tract_geoid = conditions.tract_geoid
    where conditions.acs_vintage = '2014-2018'
),

children as (
    select tract_geoid, kid_pooled_n as count_children_tract
    from {{ ref('stg_opportunity_insights__tract_race_income_rank') }}
),

-- Registry cities get every outcome and subgroup; other places the pooled outcomes (all races
-- and genders), which keeps the national table to a few outcomes per tract.
city_outcome_keys as (
    select distinct city_tracts.city_geoid, outcome, race, gender, parent_pctile, unit, source
    from city_tracts
    inner join tract_outcomes on tract_outcomes.tract_geoid = city_tracts.tract_geoid
    left join {{ ref('dim_city') }} as registry on registry.city_geoid = city_tracts.city_geoid
    where registry.city_geoid is not null or (tract_outcomes.race = 'pooled' and tract_outcomes.gender = 'pooled')
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
        keys.source,
        children.count_children_tract,
        {%- for column, label, in_model in tract_conditions() %}
        conditions.{{ column }},
        {%- endfor %}
        conditions.deprivation_quintile_in_city
    from city_tracts
    inner join city_outcome_keys as keys on keys.city_geoid = city_tracts.city_geoid
    left join tract_outcomes
        on tract_outcomes.tract_geoid = city_tracts.tract_geoid
        and tract_outcomes.outcome = keys.outcome
        and tract_outcomes.race = keys.race
        and tract_outcomes.gender = keys.gender
        and tract_outcomes.parent_pctile = keys.parent_pctile
    left join neighbourhood_names on neighbourhood_names.tract_geoid = city_tracts.tract_geoid
    left join children on children.tract_geoid = city_tracts.tract_geoid
    left join conditions on conditions.tract_geoid = city_tracts.tract_geoid
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
    source,
    cast(count_children_tract as integer) as count_children_tract,
    case
        when se is not null then 'standard error published'
        when count_children_tract is not null then 'no standard error published; the estimates of the tract rest on '
            || cast(cast(count_children_tract as integer) as {{ string_type() }}) || ' children'
        else 'no standard error published'
    end as precision_note,
    {%- for column, label, in_model in tract_conditions() %}
    {{ column }},
    {%- endfor %}
    cast(deprivation_quintile_in_city as integer) as deprivation_quintile_in_city,
    coalesce(quintile_in_city <= {{ var('priority_max_opportunity_quintile') }}
        and deprivation_quintile_in_city >= {{ var('priority_min_deprivation_quintile') }}, false) as is_priority,
    'quintile_in_city <= {{ var('priority_max_opportunity_quintile') }} and deprivation_quintile_in_city >= '
        || '{{ var('priority_min_deprivation_quintile') }}: among the lowest-opportunity tracts of the place on this outcome '
        || 'and its most deprived tracts on the deprivation index (ACS 2014-2018)' as priority_rule
from ranked
