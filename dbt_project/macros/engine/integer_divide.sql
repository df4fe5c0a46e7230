{# Integer division, rounding toward minus infinity on DuckDB (`//`) and toward zero on Spark
   (`div`): the same for the non-negative operands it is used with. #}
{% macro integer_divide(dividend, divisor) -%}
    {{ adapter.dispatch('integer_divide', 'mobility')(dividend, divisor) }}
{%- endmacro %}

{% macro duckdb__integer_divide(dividend, divisor) -%}
    {{ dividend }} // {{ divisor }}
{%- endmacro %}

{% macro spark__integer_divide(dividend, divisor) -%}
    {{ dividend }} div {{ divisor }}
{%- endmacro %}
