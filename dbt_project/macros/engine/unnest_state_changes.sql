{# One row (column `change`) per step of an ordered list of a participant's measurements
   (`steps`, of fields month and reached): month, measured (1 at the first step, else 0) and
   reached, the change the step makes to whether the participant reaches the outcome (+1, 0, -1). #}
{% macro unnest_state_changes(steps) -%}
    {{ adapter.dispatch('unnest_state_changes', 'mobility')(steps) }}
{%- endmacro %}

{% macro duckdb__unnest_state_changes(steps) -%}
    unnest(list_transform(range(1, len({{ steps }}) + 1), lambda i: {
            'month': {{ steps }}[i].month,
            'measured': (i = 1)::integer,
            'reached': {{ steps }}[i].reached::integer
                - (case when i = 1 then 0 else {{ steps }}[i - 1].reached::integer end)
        }))
{%- endmacro %}

{% macro spark__unnest_state_changes(steps) -%}
    explode(transform({{ steps }}, (step, i) -> named_struct(
            'month', step.month,
            'measured', cast(i = 0 as integer),
            'reached', cast(step.reached as integer)
                - (case when i = 0 then 0 else cast({{ steps }}[i - 1].reached as integer) end)
        )))
{%- endmacro %}
