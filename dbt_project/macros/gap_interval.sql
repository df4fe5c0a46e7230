{# The 95% interval of a row's gap (columns gap and gap_se) and whether it excludes zero:
   gap_lb, gap_ub and gap_exceeds_uncertainty, all null where gap_se is. #}
{% macro gap_interval() -%}
    gap - 1.96 * gap_se as gap_lb,
    gap + 1.96 * gap_se as gap_ub,
    case when gap_se is not null then abs(gap) > 1.96 * gap_se end as gap_exceeds_uncertainty
{%- endmacro %}
