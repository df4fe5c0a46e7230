{# A semi join: the left rows that have a match, once each. #}
{% macro semi_join() -%}
    {{ adapter.dispatch('semi_join', 'mobility')() }}
{%- endmacro %}

{% macro duckdb__semi_join() -%}
    semi join
{%- endmacro %}

{% macro spark__semi_join() -%}
    left semi join
{%- endmacro %}
