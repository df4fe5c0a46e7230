{# Deprivation index file of one ACS 5-year release (the releases share a layout). #}
{% macro stg_tract_conditions__deprivation(release) %}
with source as (
    select * from {{ source('tract_conditions', 'tract_deprivation_' ~ release ~ 'acs') }}
)

select
    census_tract_fips as tract_geoid,
    cast(fraction_poverty as double) as share_poverty,
    cast(fraction_assisted_income as double) as share_assisted_income,
    cast(fraction_high_school_edu as double) as share_hs_degree,
    cast(fraction_no_health_ins as double) as share_uninsured,
    cast(fraction_vacant_housing as double) as share_vacant_housing,
    cast(median_income as double) as pctl_income_50,
    cast(dep_index as double) as deprivation_index
from source
{% endmacro %}
