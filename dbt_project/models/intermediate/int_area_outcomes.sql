-- Tract outcomes rolled up to places (2010 tracts by centroid) and counties: weighted mean,
-- propagated standard error, coverage, suppression and quality grade, in one place so that
-- city and county marts follow the same rules.
{# What one estimate is of: an area, and an outcome of a subgroup of children. #}
{% set cell = ['area_type', 'area_geoid', 'outcome', 'race', 'gender', 'parent_pctile'] %}

with place_tracts as (
    select 'place' as area_type, city_geoid as area_geoid, tract_geoid, population
    from {{ ref('int_tract_city') }}
    where tract_vintage = 2010
),

county_tracts as (
    select 'county' as area_type, county_geoid as area_geoid, tract_geoid, population
    from {{ ref('stg_geography__tract_centers_2010') }}
),

area_tracts as (
    select * from place_tracts
    union all
    select * from county_tracts
),

area_totals as (
    select area_type, area_geoid, count(*) as count_tracts_area, sum(population) as population_area
    from area_tracts
    group by area_type, area_geoid
),

contributing as (
    select area_tracts.area_type, area_tracts.area_geoid, tract_outcomes.*
    from area_tracts
    inner join {{ ref('int_tract_outcomes') }} as tract_outcomes
        on tract_outcomes.tract_geoid = area_tracts.tract_geoid
    where not tract_outcomes.is_excluded_from_means
        and tract_outcomes.weight > 0
),

aggregated as (
    select
        {{ cell | join(', ') }},
        sum(weight * estimate) / sum(weight) as estimate,
        -- Independent tract errors: se = sqrt(sum w^2 se^2) / sum w, only when every tract has one.
        case when count(se) = count(*) then sqrt(sum(weight * weight * se * se)) / sum(weight) end as se,
        sum(count_children) as count_children,
        cast(sum(population) as bigint) as population_covered,
        count(*) as count_tracts,
        case when count(distinct weight_basis) = 1 then min(weight_basis) else 'mixed' end as weight_basis,
        min(unit) as unit,
        min(source) as source
    from contributing
    group by {{ cell | join(', ') }}
),

graded as (
    select
        aggregated.*,
        area_totals.count_tracts_area,
        area_totals.population_area,
        aggregated.population_covered / nullif(area_totals.population_area, 0) as coverage_share,
        case when aggregated.se is not null and aggregated.estimate <> 0
            then aggregated.se / abs(aggregated.estimate) end as cv,
        aggregated.count_tracts < {{ var('min_tracts') }}
            or coalesce(aggregated.count_children, {{ var('min_children') }}) < {{ var('min_children') }} as suppressed
    from aggregated
    inner join area_totals
        on area_totals.area_type = aggregated.area_type
        and area_totals.area_geoid = aggregated.area_geoid
)

select
    {{ cell | join(', ') }},
    {{ published_estimate() }},
    count_children,
    population_covered,
    weight_basis,
    count_tracts,
    count_tracts_area,
    coverage_share,
    case when not suppressed then cv end as cv,
    -- The worse of tract coverage and, where an se exists, the coefficient of variation.
    case when not suppressed then {{ quality_band('cv', coverage='coverage_share') }} end as quality,
    case when se is not null then 'coverage_and_cv' else 'coverage' end as quality_basis,
    suppressed,
    unit,
    source
from graded
