-- City context, long: one row per place x year x metric x subgroup. Urban Institute metrics
-- as published, the Census population estimate, and census tract measures summed to places.
-- lb / ub are 95% bounds everywhere; census ones come from the ACS 90% MOE (se = MOE / 1.645),
-- a share's kept within 0-1 as Urban's are.
with urban as (
    select
        place_geoid as city_geoid,
        year,
        metric,
        subgroup_type,
        subgroup,
        value,
        lb,
        ub,
        cast(null as double) as moe_90,
        quality,
        'as_published' as quality_basis,
        cast(null as bigint) as count_tracts,
        source
    from {{ ref('int_urban_metrics') }}
),

population as (
    select
        place_geoid as city_geoid,
        year,
        'count_population' as metric,
        'all' as subgroup_type,
        'All' as subgroup,
        cast(population as double) as value,
        cast(null as double) as lb,
        cast(null as double) as ub,
        cast(null as double) as moe_90,
        cast(null as integer) as quality,
        'none' as quality_basis,
        cast(null as bigint) as count_tracts,
        'census_place_population' as source
    from {{ ref('stg_census__place_population') }}
),

census_graded as (
    select
        *,
        (moe_90 / 1.645) / nullif(abs(value), 0) as cv
    from {{ ref('int_city_census_aggregates') }}
),

census as (
    select
        city_geoid,
        year,
        metric,
        'all' as subgroup_type,
        'All' as subgroup,
        value,
        {{ share_bound('value - 1.96 * moe_90 / 1.645', 'value', 'metric') }} as lb,
        {{ share_bound('value + 1.96 * moe_90 / 1.645', 'value', 'metric') }} as ub,
        moe_90,
        -- Sampling error graded by the ACS reliability bands; decennial counts are full counts;
        -- ACS values without a published MOE stay ungraded.
        case
            when source = 'census_decennial_tract_population' then 1
            else {{ quality_band('cv') }}
        end as quality,
        case
            when source = 'census_decennial_tract_population' then 'full_count'
            when cv is null then 'none'
            else 'cv'
        end as quality_basis,
        count_tracts,
        source
    from census_graded
),

all_indicators as (
    select * from urban
    union all
    select * from population
    union all
    select * from census
)

select
    all_indicators.city_geoid,
    places.city_name,
    places.state_abbr as state,
    all_indicators.year,
    all_indicators.metric,
    all_indicators.subgroup_type,
    all_indicators.subgroup,
    all_indicators.value,
    all_indicators.lb,
    all_indicators.ub,
    all_indicators.moe_90,
    all_indicators.quality,
    all_indicators.quality_basis,
    all_indicators.count_tracts,
    places.is_registry_city,
    all_indicators.source
from all_indicators
inner join {{ ref('int_places') }} as places on places.city_geoid = all_indicators.city_geoid
