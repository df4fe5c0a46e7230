{# Small pieces of SQL the regression macros share. #}

{# `on` condition matching two relations' rows of the same group (null keys match null keys). #}
{% macro ols_same_group(left, right, group_by) -%}
    {%- for column in group_by %}{{ left }}.{{ column }} is not distinct from {{ right }}.{{ column }}{% if not loop.last %} and {% endif %}{% endfor -%}
    {%- if not group_by %}1 = 1{% endif -%}
{%- endmacro %}

{# `relation.column, ...` of the group keys, with a trailing comma when there are any. #}
{% macro ols_group_columns(relation, group_by) -%}
    {%- for column in group_by %}{{ relation }}.{{ column }}, {% endfor -%}
{%- endmacro %}

{# `group by relation.column, ...` of the group keys; nothing without keys (one group). #}
{% macro ols_group_by(relation, group_by) -%}
    {%- if group_by %}group by {% for column in group_by %}{{ relation }}.{{ column }}{% if not loop.last %}, {% endif %}{% endfor %}{% endif -%}
{%- endmacro %}

{# Name of the (i, j) entry of a symmetric matrix stored as its upper triangle. #}
{% macro ols_entry(prefix, i, j) -%}
    {{ prefix }}{{ [i, j] | min }}_{{ [i, j] | max }}
{%- endmacro %}

{# The quadratic form v' M v over `indexes`: `vector` prefixes the vector's entries (`ols_z1`),
   `matrix` prefixes the entries of a symmetric matrix stored as its upper triangle. #}
{% macro ols_quadratic_form(vector, matrix, indexes) -%}
    {%- set state = namespace(first=true) -%}
    {%- for i in indexes %}{% for j in indexes if j >= i -%}
        {% if not state.first %} + {% endif %}{% set state.first = false -%}
        {% if i != j %}2 * {% endif %}{{ vector }}{{ i }} * {{ vector }}{{ j }} * {{ ols_entry(matrix, i, j) }}
    {%- endfor %}{% endfor -%}
{%- endmacro %}
