{# Percentile (0-100) of value within its partition: the share of counted rows below it plus
   half the counted rows tied with it. Rows count with `weight` (1, or 0/1 to rank against a
   reference set only); rows without a value get null. #}
{% macro mid_rank_percentile(value, partition_by, weight='1') -%}
    {%- set partition = partition_by | join(', ') -%}
    case when {{ value }} is not null and sum({{ weight }}) over (partition by {{ partition }}) > 0 then
        {{ double_literal('100.0') }} * (
            sum({{ weight }}) over (
                partition by {{ partition }}, {{ value }} is null
                order by {{ value }} range between unbounded preceding and current row
            )
            - {{ double_literal('0.5') }} * sum({{ weight }}) over (partition by {{ partition }}, {{ value }})
        ) / sum({{ weight }}) over (partition by {{ partition }})
    end
{%- endmacro %}
