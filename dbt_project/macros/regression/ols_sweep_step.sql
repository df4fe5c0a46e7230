{# One step of the sweep operator (Goodnight 1979) on pivot `pivot` of the symmetric matrices in
   ols_sweep_<pivot - 1> (long form, upper triangle, one matrix per group and ols_matrix);
   sweeping every pivot leaves minus the inverse. The pivot's row comes to every entry through
   one window, so each step reads the step before it once. A pivot at or below `tolerance` (the
   regressor is collinear with the ones before it) makes the whole matrix null. #}
{% macro ols_sweep_step(pivot, k, group_by, tolerance) -%}
{%- set previous = 'ols_sweep_' ~ (pivot - 1) -%}
ols_sweep_{{ pivot }} as (
    select
        {% for column in group_by %}{{ column }},
        {% endfor -%}
        ols_matrix,
        ols_i,
        ols_j,
        case when ols_r{{ pivot }} > {{ tolerance }} then
            case
                when ols_i = {{ pivot }} and ols_j = {{ pivot }} then -1 / ols_r{{ pivot }}
                when ols_i = {{ pivot }} or ols_j = {{ pivot }} then ols_value / ols_r{{ pivot }}
                else ols_value - {{ ols_pivot_row_entry('ols_i', k) }} * {{ ols_pivot_row_entry('ols_j', k) }} / ols_r{{ pivot }}
            end
        end as ols_value
    from (
        select
            {{ previous }}.*,
            {% for l in range(1, k + 1) -%}
            max(case when ols_i = {{ [pivot, l] | min }} and ols_j = {{ [pivot, l] | max }} then ols_value end)
                over (partition by {% for column in group_by %}{{ column }}, {% endfor %}ols_matrix) as ols_r{{ l }}{% if not loop.last %},{% endif %}
            {% endfor %}
        from {{ previous }}
    ) as ols_pivot_row
)
{%- endmacro %}

{# The pivot row's entry in the column named by `index` (ols_i or ols_j). #}
{% macro ols_pivot_row_entry(index, k) -%}
    case {{ index }}{% for l in range(1, k + 1) %} when {{ l }} then ols_r{{ l }}{% endfor %} end
{%- endmacro %}
