{# Every column, with some replaced in place by an expression (`replacements`: column -> expression).
   On Spark the replaced columns move to the end. #}
{% macro star_replace(replacements) -%}
    {{ adapter.dispatch('star_replace', 'mobility')(replacements) }}
{%- endmacro %}

{% macro duckdb__star_replace(replacements) -%}
    * replace ({{ expressions_as_columns(replacements) }})
{%- endmacro %}

{% macro default__star_replace(replacements) -%}
    * except ({{ replacements.keys() | join(', ') }}), {{ expressions_as_columns(replacements) }}
{%- endmacro %}

{% macro expressions_as_columns(replacements) -%}
    {% for column, expression in replacements.items() %}{{ expression }} as {{ column }}{% if not loop.last %}, {% endif %}{% endfor %}
{%- endmacro %}
