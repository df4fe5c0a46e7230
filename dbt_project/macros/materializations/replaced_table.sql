{#- A mart whose contract is enforced is created with its columns and constraints, then filled. -#}
{% materialization replaced_table, adapter='duckdb' %}
  {% call replaced_in_one_statement('table') -%}
    {% if config.get('contract').enforced %}
      {{ get_assert_columns_equivalent(sql) }}
      create or replace table {{ this }} {{ get_table_columns_and_constraints() }};
      insert into {{ this }} {{ get_column_names() }} (
        {{ get_select_subquery(sql) }}
      );
    {% else %}
      create or replace table {{ this }} as (
        {{ sql }}
      );
    {% endif %}
  {%- endcall %}
  {{ return({'relations': [this.incorporate(type='table')]}) }}
{% endmaterialization %}
