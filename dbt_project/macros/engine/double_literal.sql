{# A numeric literal as a double: Spark reads `0.5` as a decimal, and decimal arithmetic with
   bigints gives decimal results of limited scale where DuckDB's give doubles. #}
{% macro double_literal(number) -%}
    {{ adapter.dispatch('double_literal', 'mobility')(number) }}
{%- endmacro %}

{% macro duckdb__double_literal(number) -%}
    {{ number }}
{%- endmacro %}

{% macro spark__double_literal(number) -%}
    {{ number }}D
{%- endmacro %}
