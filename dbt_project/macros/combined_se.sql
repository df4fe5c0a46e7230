{# The standard error of a difference of two independent estimates. #}
{% macro combined_se(se_a, se_b) -%}
    sqrt({{ se_a }} * {{ se_a }} + {{ se_b }} * {{ se_b }})
{%- endmacro %}
