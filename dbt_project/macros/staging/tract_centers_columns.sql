{#- The renamed columns of a tract population-centroid file: the 2010 and 2020 files share a layout. -#}
{% macro tract_centers_columns() %}
        GEOID as tract_geoid,
        STATEFP || COUNTYFP as county_geoid,
        STATEFP as state_fips,
        cast(POPULATION as bigint) as population,
        cast(LATITUDE as double) as latitude,
        cast(LONGITUDE as double) as longitude
{%- endmacro %}
