{# The type of text columns: `varchar` on DuckDB, `string` on Spark (whose varchar needs a length). #}
{% macro string_type() -%}
    {{ adapter.dispatch('string_type', 'mobility')() }}
{%- endmacro %}

{% macro duckdb__string_type() -%}
    varchar
{%- endmacro %}

{% macro default__string_type() -%}
    string
{%- endmacro %}
