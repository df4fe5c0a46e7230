{#-
  Tables on DuckDB in one `create or replace table`, as views are (view.sql). dbt-duckdb's table
  materialization builds an intermediate table, renames the old one away and the new one in,
  commits, then drops the old one. DuckDB replaces a table atomically inside the transaction, and
  analysts never read the build file. A mart whose contract is enforced is created with its
  columns and constraints, then filled, in the same transaction.
-#}
{% materialization table, adapter='duckdb' %}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='table') -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {% if existing_relation is not none and not existing_relation.is_table %}
    {{ drop_relation_if_exists(existing_relation) }}
  {% endif %}
  {% call statement('main') -%}
    {% if config.get('contract').enforced %}
      {{ get_assert_columns_equivalent(sql) }}
      create or replace table {{ target_relation }} {{ get_table_columns_and_constraints() }};
      insert into {{ target_relation }} {{ get_column_names() }} (
        {{ get_select_subquery(sql) }}
      );
    {% else %}
      create or replace table {{ target_relation }} as (
        {{ sql }}
      );
    {% endif %}
  {%- endcall %}

  {% do persist_docs(target_relation, model) %}
  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
