{# One row per month from the month `start` to the month `stop` (both month starts), as dates. #}
{% macro unnest_months(start, stop) -%}
    {{ adapter.dispatch('unnest_months', 'mobility')(start, stop) }}
{%- endmacro %}

{% macro duckdb__unnest_months(start, stop) -%}
    cast(unnest(generate_series(
            {{ start }},
            {{ stop }},
            interval 1 month
        )) as date)
{%- endmacro %}

{% macro spark__unnest_months(start, stop) -%}
    explode(sequence(
            cast({{ start }} as date),
            cast({{ stop }} as date),
            interval 1 month
        ))
{%- endmacro %}
