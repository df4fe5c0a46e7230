{# Whether each pilot's current participants include synthetic ones. #}
{% macro synthetic_pilots() -%}
    select pilot_id, bool_or(is_synthetic) as is_synthetic
    from {{ ref('int_pilot_participants') }}
    group by pilot_id
{%- endmacro %}
