{# A struct of named fields (`fields`: name -> expression), fields read back as `value.name`. #}
{% macro struct_pack(fields) -%}
    {{ adapter.dispatch('struct_pack', 'mobility')(fields) }}
{%- endmacro %}

{% macro duckdb__struct_pack(fields) -%}
    { {%- for name, expression in fields.items() %}'{{ name }}': {{ expression }}{% if not loop.last %}, {% endif %}{% endfor -%} }
{%- endmacro %}

{% macro spark__struct_pack(fields) -%}
    named_struct({% for name, expression in fields.items() %}'{{ name }}', {{ expression }}{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}
