{# Whole days from one date to a later one (negative when it is earlier). #}
{% macro days_between(start_date, end_date) -%}
    {{ adapter.dispatch('days_between', 'mobility')(start_date, end_date) }}
{%- endmacro %}

{% macro duckdb__days_between(start_date, end_date) -%}
    date_diff('day', {{ start_date }}, {{ end_date }})
{%- endmacro %}

{% macro spark__days_between(start_date, end_date) -%}
    datediff({{ end_date }}, {{ start_date }})
{%- endmacro %}
