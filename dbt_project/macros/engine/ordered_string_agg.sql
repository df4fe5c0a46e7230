{# The values of a group joined into one string by `delimiter`, in the order of `order_by`. #}
{% macro ordered_string_agg(expression, delimiter, order_by) -%}
    {{ adapter.dispatch('ordered_string_agg', 'mobility')(expression, delimiter, order_by) }}
{%- endmacro %}

{% macro duckdb__ordered_string_agg(expression, delimiter, order_by) -%}
    string_agg({{ expression }}, {{ delimiter }} order by {{ order_by }})
{%- endmacro %}

{% macro spark__ordered_string_agg(expression, delimiter, order_by) -%}
    listagg({{ expression }}, {{ delimiter }}) within group (order by {{ order_by }})
{%- endmacro %}
