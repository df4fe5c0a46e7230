{# An expression squared (`^` is exponentiation on DuckDB, bitwise xor on Spark). #}
{% macro square(expression) -%}
    {{ adapter.dispatch('square', 'mobility')(expression) }}
{%- endmacro %}

{% macro duckdb__square(expression) -%}
    {{ expression }} ^ 2
{%- endmacro %}

{% macro default__square(expression) -%}
    power({{ expression }}, 2)
{%- endmacro %}
