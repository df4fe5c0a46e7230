{# estimate, se and the 95% bounds (lb, ub) of a row as published: all null when it is suppressed.
   The bounds of a share stay within 0-1 (share_bound); `metric` is the column naming the metric. #}
{% macro published_estimate(metric='outcome') -%}
    case when not suppressed then estimate end as estimate,
    case when not suppressed then se end as se,
    case when not suppressed then {{ share_bound('estimate - 1.96 * se', 'estimate', metric) }} end as lb,
    case when not suppressed then {{ share_bound('estimate + 1.96 * se', 'estimate', metric) }} end as ub
{%- endmacro %}
