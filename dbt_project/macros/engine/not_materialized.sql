{# A CTE that DuckDB inlines into each query that reads it instead of materializing it once:
   `name as {{ not_materialized() }} (...)`. For a large CTE read by several filtered queries,
   each reading only its part is cheaper than holding the whole (docs/performance.md, 6 December).
   Spark plans CTEs itself and has no such hint. #}
{% macro not_materialized() -%}
    {{ adapter.dispatch('not_materialized', 'mobility')() }}
{%- endmacro %}

{% macro duckdb__not_materialized() -%}
    not materialized
{%- endmacro %}

{% macro default__not_materialized() -%}
{%- endmacro %}
