{# Every column of a relation but some: `* exclude (...)` on DuckDB, `* except (...)` on Spark. #}
{% macro star_except(columns, relation_alias=none) -%}
    {{ adapter.dispatch('star_except', 'mobility')(columns, relation_alias) }}
{%- endmacro %}

{% macro duckdb__star_except(columns, relation_alias) -%}
    {% if relation_alias %}{{ relation_alias }}.{% endif %}* exclude ({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__star_except(columns, relation_alias) -%}
    {% if relation_alias %}{{ relation_alias }}.{% endif %}* except ({{ columns | join(', ') }})
{%- endmacro %}
