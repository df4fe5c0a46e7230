{# A delimited list of codes as an array, each trimmed and left-padded with zeros to `width`. #}
{% macro split_padded(column, delimiter, width) -%}
    {{ adapter.dispatch('split_padded', 'mobility')(column, delimiter, width) }}
{%- endmacro %}

{% macro duckdb__split_padded(column, delimiter, width) -%}
    list_transform(string_split({{ column }}, '{{ delimiter }}'), lambda c: lpad(trim(c), {{ width }}, '0'))
{%- endmacro %}

{% macro spark__split_padded(column, delimiter, width) -%}
    transform(split({{ column }}, '\\Q{{ delimiter }}\\E'), c -> lpad(trim(c), {{ width }}, '0'))
{%- endmacro %}
