-- Census tract measures summed to places, per year, with margins of error combined by the
-- Census Bureau's ACS handbook formulas (90% MOEs as the ACS publishes them):
--   sum:        MOE = sqrt(sum MOE_i^2)
--   product:    X = f * Y, MOE_X = sqrt(Y^2 MOE_f^2 + f^2 MOE_Y^2)   (tract share back to a count)
--   proportion: p = X / Y, MOE_p = sqrt(MOE_X^2 - p^2 MOE_Y^2) / Y, or with "+" (the ratio
--               formula) when the radicand is negative.
-- A place gets a value only when every one of its tracts (of the vintage the release uses)
-- has one, so no total is silently partial.
{% set hamilton_counts = [
    ('n_pop', 'count_population_acs5'),
    ('n_children_lt18', 'count_children_under18'),
    ('n_household', 'count_households'),
    ('n_household_lt18', 'count_households_with_children'),
    ('n_housing_units', 'count_housing_units'),
] %}
{# Denominators: the tract count that best matches each share's ACS universe. Poverty and
   insurance universes are slightly smaller than the total population used here. #}
{% set hamilton_shares = [
    ('fraction_poverty', 'share_poverty', 'n_pop'),
    ('fraction_insured', 'share_insured', 'n_pop'),
    ('fraction_nhl_w', 'share_white_non_hispanic', 'n_pop'),
    ('fraction_nhl_b', 'share_black_non_hispanic', 'n_pop'),
    ('fraction_hl', 'share_hispanic', 'n_pop'),
    ('fraction_snap', 'share_snap', 'n_household'),
    ('fraction_housing_renters', 'share_renter_occupied', 'n_household'),
    ('fraction_lesh', 'share_limited_english_households', 'n_household'),
    ('fraction_vacant', 'share_vacant', 'n_housing_units'),
    ('fraction_builtbf1970', 'share_built_before_1970', 'n_housing_units'),
] %}
{% set hamilton_2023_counts = [
    ('n_households', 'count_households'),
    ('n_households_children', 'count_households_with_children'),
    ('n_housing_units', 'count_housing_units'),
    ('n_persons_under_18', 'count_children_under18'),
] %}

with hamilton as (
    select * from {{ ref('stg_census__hamilton_acs_measures') }}
),

hamilton_2023 as (
    select * from {{ ref('stg_census__hamilton_acs_2023') }}
),

acs_values as (
    select * from {{ ref('stg_census__acs_tract_values') }}
),

-- One row per tract x year x metric: numerator x and denominator y (null for counts) with MOEs.
tract_terms as (
{% for column, metric in hamilton_counts %}
    select tract_geoid, year, '{{ metric }}' as metric, 'count' as kind,
        {{ column }} as x, {{ column }}_moe as moe_x,
        cast(null as double) as y, cast(null as double) as moe_y,
        'census_hamilton_acs_measures' as source
    from hamilton
    union all
{% endfor %}
{% for column, metric, denominator in hamilton_shares %}
    select tract_geoid, year, '{{ metric }}', 'share',
        {{ column }} * {{ denominator }},
        sqrt({{ square(denominator) }} * {{ square(column ~ '_moe') }} + {{ square(column) }} * {{ square(denominator ~ '_moe') }}),
        {{ denominator }}, {{ denominator }}_moe,
        'census_hamilton_acs_measures'
    from hamilton
    union all
{% endfor %}
{% for column, metric in hamilton_2023_counts %}
    select tract_geoid, year, '{{ metric }}', 'count', {{ column }}, null, null, null,
        'census_hamilton_acs_2023'
    from hamilton_2023
    union all
{% endfor %}
    select tract_geoid, year, 'share_vacant', 'share',
        prop_housing_units_vacant * n_housing_units, null, n_housing_units, null,
        'census_hamilton_acs_2023'
    from hamilton_2023
    union all
    select tract_geoid, year, 'count_population_decennial', 'count', population, null, null, null,
        'census_decennial_tract_population'
    from {{ ref('stg_census__decennial_tract_population') }}
    union all
    select tract_geoid, year, 'count_population_acs5', 'count', value, null, null, null,
        'census_acs_tract_values'
    from acs_values where variable = 'B05003_001E'
    union all
    -- B05003: 003 = male under 18, 014 = female under 18, 001 = total population.
    select tract_geoid, year, 'count_children_under18', 'count',
        sum(value) filter (where variable in ('B05003_003E', 'B05003_014E')), null, null, null,
        'census_acs_tract_values'
    from acs_values group by tract_geoid, year
    union all
    select tract_geoid, year, 'share_children_under18', 'share',
        sum(value) filter (where variable in ('B05003_003E', 'B05003_014E')), null,
        sum(value) filter (where variable = 'B05003_001E'), null,
        'census_acs_tract_values'
    from acs_values group by tract_geoid, year
),

-- ACS 5-year releases from 2020 on, and the 2020 census, are tabulated on 2020 tracts.
tract_terms_placed as (
    select tract_terms.*, tract_city.city_geoid
    from tract_terms
    inner join {{ ref('int_tract_city') }} as tract_city
        on tract_city.tract_geoid = tract_terms.tract_geoid
        and tract_city.tract_vintage = case when tract_terms.year >= 2020 then 2020 else 2010 end
    where tract_terms.x is not null and (tract_terms.kind = 'count' or tract_terms.y is not null)
),

city_tract_counts as (
    select city_geoid, tract_vintage, count(*) as count_tracts_city
    from {{ ref('int_tract_city') }}
    group by city_geoid, tract_vintage
),

summed as (
    select
        city_geoid,
        year,
        metric,
        min(kind) as kind,
        min(source) as source,
        count(*) as count_tracts,
        sum(x) as x,
        case when count(moe_x) = count(*) then sqrt(sum({{ square('moe_x') }})) end as moe_x,
        sum(y) as y,
        case when count(moe_y) = count(*) then sqrt(sum({{ square('moe_y') }})) end as moe_y
    from tract_terms_placed
    group by city_geoid, year, metric
),

estimated as (
    select
        summed.*,
        city_tract_counts.count_tracts_city,
        case when kind = 'count' then x else x / nullif(y, 0) end as value,
        case
            when kind = 'count' then moe_x
            when {{ square('moe_x') }} - {{ square('(x / y)') }} * {{ square('moe_y') }} >= 0 then sqrt({{ square('moe_x') }} - {{ square('(x / y)') }} * {{ square('moe_y') }}) / y
            else sqrt({{ square('moe_x') }} + {{ square('(x / y)') }} * {{ square('moe_y') }}) / y
        end as moe_90
    from summed
    inner join city_tract_counts
        on city_tract_counts.city_geoid = summed.city_geoid
        and city_tract_counts.tract_vintage = case when summed.year >= 2020 then 2020 else 2010 end
)

select
    city_geoid,
    year,
    metric,
    value,
    moe_90,
    count_tracts,
    source
from estimated
where count_tracts = count_tracts_city and value is not null
