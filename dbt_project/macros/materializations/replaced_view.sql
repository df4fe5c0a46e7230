{% materialization replaced_view, adapter='duckdb' %}
  {% call replaced_in_one_statement('view') -%}
    create or replace view {{ this }} as (
      {{ sql }}
    );
  {%- endcall %}
  {{ return({'relations': [this.incorporate(type='view')]}) }}
{% endmaterialization %}
