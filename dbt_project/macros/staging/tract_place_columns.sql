{#- The renamed columns of a tract-to-place crosswalk: the 2010 and 2020 files share a layout. -#}
{% macro tract_place_columns() %}
        TRACTID as tract_geoid,
        cast(TR_VINTAGE as integer) as tract_vintage,
        left(TRACTID, 2) || PLACEID as place_geoid,
        PLACEID as place_fips,
        PLACE as place_name,
        PLACE_TYPE as place_type,
        STATE as state_abbr,
        left(TRACTID, 5) as county_geoid,
        COUNTY as county_name
{%- endmacro %}
