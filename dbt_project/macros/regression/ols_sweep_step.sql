{# One step of the sweep operator (Goodnight 1979) on pivot `pivot` of the symmetric matrices
   (prefixes `matrices`, entries <prefix><i>_<j> for i <= j, all named in `entries`) in
   ols_sweep_<pivot - 1>, one row per group; sweeping every pivot leaves minus the inverse. A
   pivot at or below `tolerance` (the regressor is collinear with the ones swept before it)
   makes the matrix null. #}
{% macro ols_sweep_step(pivot, k, matrices, entries, tolerance) -%}
{%- set previous = 'ols_sweep_' ~ (pivot - 1) -%}
ols_sweep_{{ pivot }} as (
    select
        {{ star_except(entries, previous) }},
        {% for matrix in matrices -%}
        {%- set diagonal = matrix ~ pivot ~ '_' ~ pivot -%}
        {% for i in range(1, k + 1) %}{% for j in range(i, k + 1) -%}
        case when {{ diagonal }} > {{ tolerance }} then
            {%- if i == pivot and j == pivot %} -1 / {{ diagonal }}
            {%- elif i == pivot or j == pivot %} {{ matrix }}{{ i }}_{{ j }} / {{ diagonal }}
            {%- else %} {{ matrix }}{{ i }}_{{ j }} - {{ ols_entry(matrix, i, pivot) }} * {{ ols_entry(matrix, pivot, j) }} / {{ diagonal }}
            {%- endif %}
        end as {{ matrix }}{{ i }}_{{ j }}{% if not loop.last %},{% endif %}
        {% endfor %}{% if not loop.last %},
        {% endif %}{% endfor %}{% if not loop.last %},
        {% endif %}{% endfor %}
    from {{ previous }}
)
{%- endmacro %}
