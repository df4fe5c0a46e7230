{#- The renamed columns of an Urban Institute city-metrics file: the place GEOID from its state
    and place codes, the year as an integer, then the file's other columns as published. -#}
{% macro urban_place_columns() %}
        state || place as place_geoid,
        cast(year as integer) as year,
        {{ star_except(['state', 'place', 'year']) }}
{%- endmacro %}
