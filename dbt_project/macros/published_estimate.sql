{# estimate, se and the 95% bounds (lb, ub) of a row as published: all null when it is suppressed. #}
{% macro published_estimate() -%}
    case when not suppressed then estimate end as estimate,
    case when not suppressed then se end as se,
    case when not suppressed then estimate - 1.96 * se end as lb,
    case when not suppressed then estimate + 1.96 * se end as ub
{%- endmacro %}
