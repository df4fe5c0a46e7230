{# The conditions set beside mobility, each declared once with its label. #}

{# Tract conditions (ACS 5-year): (column, label, in the multivariable model). The deprivation
   index is left out of the models: it is a weighted sum of six measures before it, so it cannot
   be separated from them; per-capita income is left out as a second income measure. #}
{% macro tract_conditions() %}
{{ return([
    ('share_poverty', 'Share of people in poverty', true),
    ('share_unemployed', 'Unemployment rate', true),
    ('share_assisted_income', 'Share of households with public assistance or SNAP', true),
    ('share_hs_degree', 'Share of adults 25+ with a high school degree', true),
    ('share_uninsured', 'Share of people without health insurance', true),
    ('share_vacant_housing', 'Share of housing units vacant', true),
    ('pctl_income_50', 'Median household income', true),
    ('mean_income_per_capita', 'Per-capita income', false),
    ('deprivation_index', 'Community deprivation index', false),
]) }}
{% endmacro %}

{# The tract conditions an ACS release carries (the 2011-2015 files have no unemployment or
   per-capita income), all or the modelled ones only. #}
{% macro tract_conditions_of(acs_vintage, modelled_only=false) %}
{% set names = [] %}
{% for column, label, in_model in tract_conditions() %}
    {% if (acs_vintage == '2014-2018' or column not in ['share_unemployed', 'mean_income_per_capita'])
        and (in_model or not modelled_only) %}
        {% do names.append(column) %}
    {% endif %}
{% endfor %}
{{ return(names) }}
{% endmacro %}

{# City conditions of the Urban Institute Upward Mobility Framework used across places:
   (metric of int_urban_metrics, label). #}
{% macro place_conditions() %}
{{ return([
    ('share_economic_connectedness', 'Economic connectedness (Social Capital Atlas)'),
    ('share_poverty_exposure', 'Share of people in poverty living in high-poverty neighbourhoods'),
    ('share_affordable_available_50_ami', 'Affordable and available homes per low-income household (50% of area median income)'),
    ('share_employed', 'Share of adults 25-54 employed'),
    ('share_hs_degree', 'Share of 19-20 year olds with a high school degree'),
    ('rate_crime_violent', 'Violent crimes per 100,000 people'),
    ('share_digital_access', 'Share of households with broadband and a computer'),
    ('index_air_hazard', 'Air hazard index'),
    ('share_transit_commuter', 'Share of workers commuting by transit'),
    ('share_transportation_cost', 'Share of income spent on transportation'),
]) }}
{% endmacro %}

{# County conditions used across counties: (column of int_county_conditions, label). #}
{% macro county_conditions() %}
{{ return([
    ('share_economic_connectedness', 'Economic connectedness (Social Capital Atlas)'),
    ('share_poverty', 'Share of people in poverty'),
    ('share_unemployed', 'Unemployment rate'),
    ('share_assisted_income', 'Share of households with public assistance or SNAP'),
    ('share_hs_degree', 'Share of adults 25+ with a high school degree'),
    ('share_uninsured', 'Share of people without health insurance'),
    ('share_vacant_housing', 'Share of housing units vacant'),
]) }}
{% endmacro %}

{# The label of a condition column of any of the lists above. #}
{% macro condition_label(column, conditions) -%}
    case {{ column }}
        {%- for condition in conditions %}
        when '{{ condition[0] }}' then '{{ condition[1] }}'
        {%- endfor %}
    end
{%- endmacro %}

{# The label of a pooled Atlas tract or place outcome at p25. #}
{% macro outcome_label(column) -%}
    case {{ column }}
        when 'household_income_at_35_p25' then 'Household income at about 35 (dollars), children of low-income (p25) parents'
        when 'share_top20_p25' then 'Share reaching the top fifth of household incomes, children of low-income (p25) parents'
        when 'income_rank_p25' then 'Individual income rank (0-100) in adulthood, children of low-income (p25) parents'
        when 'household_income_rank_p25' then 'Household income rank (0-1) in adulthood, children of low-income (p25) parents'
        else {{ column }}
    end
{%- endmacro %}

{# True where every one of the columns has a value: the rows a model of them can use. #}
{% macro all_not_null(columns) -%}
    {{ columns | join(' is not null and ') }} is not null
{%- endmacro %}

{# Each column as a z-score (sample standard deviation) across the rows flagged `is_complete`,
   named <column>_z; null on the other rows. #}
{% macro complete_case_zscores(columns) -%}
    {%- for column in columns %}
    case when is_complete then
        ({{ column }} - avg(case when is_complete then {{ column }} end) over ())
            / stddev_samp(case when is_complete then {{ column }} end) over ()
    end as {{ column }}_z{% if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}

{# The z-scores (<column>_z) under the columns' own names: a model's rows, in standard deviations. #}
{% macro zscores_as_columns(columns) -%}
    {%- for column in columns %}
    {{ column }}_z as {{ column }}{% if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}
