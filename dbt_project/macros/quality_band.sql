{# Quality grade, 1 good / 2 marginal / 3 poor: the worse of the coverage grade (share of the
   area's population in tracts with an estimate) and the coefficient-of-variation grade (the
   Census Bureau's ACS reliability bands). A missing cv leaves the coverage grade alone; with
   no coverage given, a missing cv leaves the row ungraded (null). #}
{% macro quality_band(cv, coverage=none) -%}
    {%- set cv_grade -%}
        case
            when {{ cv }} is null then null
            when {{ cv }} < {{ var('cv_good') }} then 1
            when {{ cv }} < {{ var('cv_poor') }} then 2
            else 3
        end
    {%- endset -%}
    {%- if coverage is none -%}
        {{ cv_grade }}
    {%- else -%}
        greatest(
            case
                when {{ coverage }} >= {{ var('coverage_good') }} then 1
                when {{ coverage }} >= {{ var('coverage_poor') }} then 2
                else 3
            end,
            {{ cv_grade }}
        )
    {%- endif -%}
{%- endmacro %}
