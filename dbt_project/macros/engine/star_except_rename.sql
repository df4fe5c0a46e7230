{# Every column of `relation` but `columns`, with some renamed in place (`renames`: old -> new).
   DuckDB says it with `* exclude (...) rename (...)`; on Spark the columns are listed from the
   relation (in its order), so it must exist when the model runs. #}
{% macro star_except_rename(relation, columns, renames) -%}
    {{ adapter.dispatch('star_except_rename', 'mobility')(relation, columns, renames) }}
{%- endmacro %}

{% macro duckdb__star_except_rename(relation, columns, renames) -%}
    * exclude ({{ columns | join(', ') }}) rename ({% for old, new in renames.items() %}{{ old }} as {{ new }}{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}

{% macro default__star_except_rename(relation, columns, renames) -%}
    {%- if execute -%}
        {%- set names = [] -%}
        {%- for column in adapter.get_columns_in_relation(relation) if column.name not in columns -%}
            {%- do names.append(adapter.quote(column.name) ~ (' as ' ~ renames[column.name] if column.name in renames else '')) -%}
        {%- endfor -%}
        {{ names | join(', ') }}
    {%- else -%}
        *
    {%- endif -%}
{%- endmacro %}
