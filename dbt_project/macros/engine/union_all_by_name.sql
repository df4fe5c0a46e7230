{# Union of two selects matched by column name. Spark SQL matches by position only: there both
   sides must list their columns in the same order. #}
{% macro union_all_by_name() -%}
    {{ adapter.dispatch('union_all_by_name', 'mobility')() }}
{%- endmacro %}

{% macro duckdb__union_all_by_name() -%}
    union all by name
{%- endmacro %}

{% macro default__union_all_by_name() -%}
    union all
{%- endmacro %}
