-- Urban Institute city metrics in one long shape: place x year x metric x subgroup with the
-- value, 95% bounds and quality grade as published. Text grades (Strong / Marginal / Weak)
-- become 1 / 2 / 3 like the numeric ones.
{% set metrics = [
    ('stg_urban__income', 'pctl_income_20', true, false),
    ('stg_urban__income', 'pctl_income_50', true, false),
    ('stg_urban__income', 'pctl_income_80', true, false),
    ('stg_urban__employment', 'share_employed', true, false),
    ('stg_urban__college', 'share_hs_degree', true, false),
    ('stg_urban__housing', 'share_affordable_30_ami', false, false),
    ('stg_urban__housing', 'share_affordable_50_ami', false, false),
    ('stg_urban__housing', 'share_affordable_80_ami', false, false),
    ('stg_urban__housing', 'share_affordable_available_30_ami', false, false),
    ('stg_urban__housing', 'share_affordable_available_50_ami', false, false),
    ('stg_urban__housing', 'share_affordable_available_80_ami', false, false),
    ('stg_urban__crime_rates', 'rate_crime_violent', false, false),
    ('stg_urban__crime_rates', 'rate_crime_property', false, false),
    ('stg_urban__digital_access', 'share_digital_access', false, false),
    ('stg_urban__economic_connectedness', 'share_economic_connectedness', false, false),
    ('stg_urban__poverty_exposure', 'share_poverty_exposure', false, false),
    ('stg_urban__race_exposure', 'share_black_nh_exposure', false, false),
    ('stg_urban__race_exposure', 'share_hispanic_exposure', false, false),
    ('stg_urban__race_exposure', 'share_other_nh_exposure', false, false),
    ('stg_urban__race_exposure', 'share_white_nh_exposure', false, false),
    ('stg_urban__race_share_metrics', 'share_debt_coll', false, true),
    ('stg_urban__race_share_metrics', 'index_air_hazard', false, true),
    ('stg_urban__race_share_metrics', 'share_transit_commuter', false, true),
    ('stg_urban__race_share_metrics', 'share_transportation_cost', false, true),
] %}
{% set with_subgroups = ['stg_urban__housing', 'stg_urban__race_share_metrics'] %}

with metrics_long as (
{% for model, metric, has_bounds, text_quality in metrics %}
    select
        place_geoid,
        year,
        '{{ metric }}' as metric,
        {% if model in with_subgroups %}lower(subgroup_type){% else %}'all'{% endif %} as subgroup_type,
        {% if model in with_subgroups %}subgroup{% else %}'All'{% endif %} as subgroup,
        cast({{ metric }} as double) as value,
        {% if has_bounds %}cast({{ metric }}_lb as double){% else %}cast(null as double){% endif %} as lb,
        {% if has_bounds %}cast({{ metric }}_ub as double){% else %}cast(null as double){% endif %} as ub,
        {% if text_quality %}
        case {{ metric }}_quality when 'Strong' then 1 when 'Marginal' then 2 when 'Weak' then 3 end
        {% else %}
        cast({{ metric }}_quality as integer)
        {% endif %} as quality,
        '{{ model | replace("stg_urban__", "urban_") }}' as source
    from {{ ref(model) }}
    where {{ metric }} is not null
    {% if not loop.last %}union all{% endif %}
{% endfor %}
)

select * from metrics_long
