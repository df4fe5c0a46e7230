{# A row of values that compares left to right, as an ordering key: `row_tuple(['a', 'b'])`; or a
   relation's whole row as one struct value: `row_tuple(relation_alias='t')`. #}
{% macro row_tuple(expressions=[], relation_alias=none) -%}
    {{ adapter.dispatch('row_tuple', 'mobility')(expressions, relation_alias) }}
{%- endmacro %}

{% macro duckdb__row_tuple(expressions, relation_alias) -%}
    {% if relation_alias %}{{ relation_alias }}{% else %}({{ expressions | join(', ') }}){% endif %}
{%- endmacro %}

{% macro spark__row_tuple(expressions, relation_alias) -%}
    {% if relation_alias %}struct({{ relation_alias }}.*){% else %}struct({{ expressions | join(', ') }}){% endif %}
{%- endmacro %}
