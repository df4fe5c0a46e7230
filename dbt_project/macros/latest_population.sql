{# Each place's most recent Census population estimate. #}
{% macro latest_population() -%}
    select place_geoid, place_name, year, population
    from {{ ref('stg_census__place_population') }}
    qualify row_number() over (partition by place_geoid order by year desc) = 1
{%- endmacro %}
