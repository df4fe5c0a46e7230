{# Every column of `relation` but `columns`, each cast to `type` and keeping its name. DuckDB
   says it with a `columns(lambda ...)` expression; on Spark the columns are listed from the
   relation, so it must exist when the model runs. #}
{% macro cast_columns_except(relation, columns, type) -%}
    {{ adapter.dispatch('cast_columns_except', 'mobility')(relation, columns, type) }}
{%- endmacro %}

{% macro duckdb__cast_columns_except(relation, columns, type) -%}
    columns(lambda c: c not in ({% for column in columns %}'{{ column }}'{% if not loop.last %}, {% endif %}{% endfor %}))::{{ type }}
{%- endmacro %}

{% macro default__cast_columns_except(relation, columns, type) -%}
    {%- if execute -%}
        {%- set casts = [] -%}
        {%- for column in adapter.get_columns_in_relation(relation) if column.name not in columns -%}
            {%- do casts.append('cast(' ~ adapter.quote(column.name) ~ ' as ' ~ type ~ ') as ' ~ adapter.quote(column.name)) -%}
        {%- endfor -%}
        {{ casts | join(',\n    ') }}
    {%- else -%}
        *
    {%- endif -%}
{%- endmacro %}
