{# Staging select of one Urban Institute city-metrics table: the place GEOID from its state and
   place codes, the year as an integer, and the metric columns as published. #}
{% macro stg_urban__place_metrics(table, has_subgroups=false, source_name='urban') %}
with source as (
    select * from {{ source(source_name, table) }}
)

select
    state || place as place_geoid,
    cast(year as integer) as year,
{%- if has_subgroups %}
    subgroup_type,
    subgroup,
    {{ star_except(['state', 'place', 'year', 'subgroup_type', 'subgroup']) }}
{%- else %}
    {{ star_except(['state', 'place', 'year']) }}
{%- endif %}
from source
{% endmacro %}
