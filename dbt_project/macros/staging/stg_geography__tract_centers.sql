{# Tract population centroids of one tract vintage (the 2010 and 2020 files share a layout). #}
{% macro stg_geography__tract_centers(vintage) %}
with source as (
    select * from {{ source('geography', 'geo_tract_centers_' ~ vintage) }}
)

select
    GEOID as tract_geoid,
    STATEFP || COUNTYFP as county_geoid,
    STATEFP as state_fips,
    cast(POPULATION as bigint) as population,
    cast(LATITUDE as double) as latitude,
    cast(LONGITUDE as double) as longitude
from source
{% endmacro %}
