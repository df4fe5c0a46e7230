{# The structs of a group's rows (`fields`: name -> expression) as a list in the order of
   `order_by` (aggregate). #}
{% macro ordered_list(fields, order_by) -%}
    {{ adapter.dispatch('ordered_list', 'mobility')(fields, order_by) }}
{%- endmacro %}

{% macro duckdb__ordered_list(fields, order_by) -%}
    list({
            {%- for name, expression in fields.items() %}
            '{{ name }}': {{ expression }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        } order by {{ order_by }})
{%- endmacro %}

{% macro spark__ordered_list(fields, order_by) -%}
    transform(array_sort(collect_list(named_struct('key', {{ order_by }}, 'value', named_struct(
            {%- for name, expression in fields.items() %}
            '{{ name }}', {{ expression }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        )))), step -> step.value)
{%- endmacro %}
