{# The select in the call block unpivoted: one row per input row and column of `columns` (all of
   the select's columns but `keys`), the column's name in `name_column` and its value in
   `value_column`; rows whose value is null are left out. #}
{% macro unpivot_columns(keys, columns, name_column, value_column) -%}
    {{ adapter.dispatch('unpivot_columns', 'mobility')(keys, columns, name_column, value_column, caller()) }}
{%- endmacro %}

{% macro duckdb__unpivot_columns(keys, columns, name_column, value_column, select_sql) -%}
    unpivot ({{ select_sql }}    )
    on columns(* exclude ({{ keys | join(', ') }}))
    into name {{ name_column }} value {{ value_column }}
{%- endmacro %}

{% macro spark__unpivot_columns(keys, columns, name_column, value_column, select_sql) -%}
    select * from ({{ select_sql }}    )
    unpivot exclude nulls ({{ value_column }} for {{ name_column }} in ({{ columns | join(', ') }}))
{%- endmacro %}
