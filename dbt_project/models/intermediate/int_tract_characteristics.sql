-- Tract characteristics a city can set beside its mobility outcomes, long: one row per
-- 2010 tract x characteristic. Each Hamilton County ACS measure is taken from its earliest
-- 5-year release (2010, or 2011-2012 where a measure starts later), the one nearest the years
-- the Atlas cohort grew up in.
{% set hamilton_characteristics = {
    'fraction_poverty': 'share_poverty',
    'fraction_employment': 'share_employed',
    'fraction_high_rent': 'share_rent_burdened',
    'median_rent_to_income_percentage': 'pct_median_rent_to_income',
    'fraction_snap': 'share_snap',
    'fraction_fam_nospouse': 'share_single_parent_families',
    'fraction_housing_renters': 'share_renter_occupied',
    'fraction_vacant': 'share_vacant',
    'fraction_hs': 'share_hs_degree',
    'fraction_insured': 'share_insured',
    'fraction_nhl_b': 'share_black_non_hispanic',
    'median_income': 'median_household_income',
} %}

with covariates as (
    select tract_geoid, 'mean_household_income_2000' as characteristic, 2000 as year,
        mean_household_income_2000 as value, 'oi_tract_covariates' as source
    from {{ ref('stg_opportunity_insights__tract_covariates') }}
    where mean_household_income_2000 is not null
),

density as (
    select attributes.tract_geoid, 'density_population_per_km2' as characteristic, 2010 as year,
        centers.population / (attributes.land_area_m2 / 1e6) as value,
        'geo_tract_attributes_2019' as source
    from {{ ref('stg_geography__tract_attributes_2019') }} as attributes
    inner join {{ ref('stg_geography__tract_centers_2010') }} as centers
        on centers.tract_geoid = attributes.tract_geoid
    where attributes.land_area_m2 > 0
),

hamilton_2010_tracts as (
    -- From 2020 on the measures are published on 2020 tracts.
    select * from {{ ref('stg_census__hamilton_acs_measures') }}
    where year <= 2019
),

hamilton_all_years as (
    {% call unpivot_columns(['tract_geoid', 'year'], hamilton_characteristics.values() | list, 'characteristic', 'value') %}
        select
            tract_geoid,
            year,
            {%- for column, characteristic in hamilton_characteristics.items() %}
            {{ column }} as {{ characteristic }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        from hamilton_2010_tracts
    {% endcall %}
),

hamilton as (
    select * from hamilton_all_years
    where value is not null
    qualify year = min(year) over (partition by characteristic)
),

tulsa_children as (
    select
        tract_geoid,
        'share_children_under18' as characteristic,
        year,
        sum(value) filter (where variable in ('B05003_003E', 'B05003_014E'))
            / nullif(sum(value) filter (where variable = 'B05003_001E'), 0) as value,
        'census_acs_tract_values' as source
    from {{ ref('stg_census__acs_tract_values') }}
    where year = 2015
    group by tract_geoid, year
)

select tract_geoid, characteristic, year, value, source from covariates
union all
select tract_geoid, characteristic, year, value, source from density
union all
select tract_geoid, characteristic, year, value, 'census_hamilton_acs_measures' as source
from hamilton
union all
select tract_geoid, characteristic, year, value, source from tulsa_children where value is not null
