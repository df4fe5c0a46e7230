{# The value of the row with the largest `ordering` in a group (aggregate). #}
{% macro arg_max(value, ordering) -%}
    {{ adapter.dispatch('arg_max', 'mobility')(value, ordering) }}
{%- endmacro %}

{% macro duckdb__arg_max(value, ordering) -%}
    arg_max({{ value }}, {{ ordering }})
{%- endmacro %}

{% macro spark__arg_max(value, ordering) -%}
    max_by({{ value }}, {{ ordering }})
{%- endmacro %}
