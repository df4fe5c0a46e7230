{# Whether a string starts with a prefix. #}
{% macro starts_with(string, prefix) -%}
    {{ adapter.dispatch('starts_with', 'mobility')(string, prefix) }}
{%- endmacro %}

{% macro duckdb__starts_with(string, prefix) -%}
    starts_with({{ string }}, {{ prefix }})
{%- endmacro %}

{% macro spark__starts_with(string, prefix) -%}
    startswith({{ string }}, {{ prefix }})
{%- endmacro %}
