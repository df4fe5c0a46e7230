-- Within each place: which neighbourhood conditions go with its neighbourhoods' mobility.
-- For every place with at least var min_correlation_tracts 2010 tracts with an estimate, each ACS
-- release, pooled Atlas outcome at p25 and tract condition:
-- - the unweighted Pearson r across the place's tracts with both values, with a 95% interval
--   from Fisher's z (as the Opportunity Atlas paper's within-area correlations);
-- - the condition's standardised coefficient in one model of the outcome on all modelled
--   conditions at once (z-scores within the place), with HC3 standard errors and the variance
--   inflation factor: above var max_vif the conditions are too collinear to separate.
-- Patterns across neighbourhoods, not effects of the conditions.
{% set group_by = ['city_geoid', 'acs_vintage', 'outcome'] %}
{% set vintages = ['2011-2015', '2014-2018'] %}
{% set conditions = tract_conditions() | map(attribute=0) | list %}

with tracts as (
    select * from {{ ref('int_city_neighbourhood_tracts') }}
),

tract_values as (
    {% call unpivot_columns(group_by + ['tract_geoid', 'estimate'], conditions, 'condition', 'value') %}
        select {{ (group_by + ['tract_geoid', 'estimate'] + conditions) | join(', ') }}
        from tracts
    {% endcall %}
),

correlations as (
    select
        city_geoid,
        acs_vintage,
        outcome,
        condition,
        count(*) as count_tracts,
        corr(estimate, value) as r
    from tract_values
    group by city_geoid, acs_vintage, outcome, condition
),

published_correlations as (
    select
        city_geoid,
        acs_vintage,
        outcome,
        condition,
        count_tracts,
        -- To 10 decimals: DuckDB sums the unpivoted rows in parallel, in an order that moves the
        -- last bits of r from run to run; rounded, every build publishes the same r and bounds.
        case when count_tracts >= {{ var('min_correlation_tracts') }} and not isnan(r) then round(r, 10) end as r
    from correlations
),
{% for vintage in vintages %}
{%- set modelled = tract_conditions_of(vintage, modelled_only=true) %}
{%- set suffix = vintage[-4:] %}

-- ACS {{ vintage }}: the tracts with the outcome and every modelled condition, in z-scores within
-- the place, so each coefficient is in standard deviations of the outcome per standard deviation
-- of the condition.
complete_{{ suffix }} as (
    select * from tracts
    where acs_vintage = '{{ vintage }}' and {{ all_not_null(modelled) }}
),

standardised_{{ suffix }} as (
    select
        {{ group_by | join(', ') }},
        {%- for column in ['estimate'] + modelled %}
        ({{ column }} - avg({{ column }}) over (partition by {{ group_by | join(', ') }}))
            / nullif(stddev_samp({{ column }}) over (partition by {{ group_by | join(', ') }}), 0) as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from complete_{{ suffix }}
),

coefficients_{{ suffix }} as (
    {{ ols_coefficients('standardised_' ~ suffix, y='estimate', x=modelled, group_by=group_by, cov_type='HC3') }}
),
{% endfor %}

coefficients as (
    {%- for vintage in vintages %}
    select
        {{ group_by | join(', ') }}, term, estimate, std_error, count_obs, df_resid, r_squared, vif
    from coefficients_{{ vintage[-4:] }}
    where term <> 'intercept'
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

places as (
    select city_geoid, city_name, state_abbr from {{ ref('int_places') }}
),

joined as (
    select
        published_correlations.*,
        coefficients.estimate as coef_std,
        coefficients.std_error as coef_std_se,
        coefficients.df_resid,
        coefficients.count_obs as count_tracts_model,
        coefficients.r_squared as r_squared_model,
        coefficients.vif
    from published_correlations
    left join coefficients
        on coefficients.city_geoid = published_correlations.city_geoid
        and coefficients.acs_vintage = published_correlations.acs_vintage
        and coefficients.outcome = published_correlations.outcome
        and coefficients.term = published_correlations.condition
)

select
    joined.city_geoid,
    places.city_name,
    places.state_abbr,
    joined.acs_vintage,
    joined.outcome,
    {{ outcome_label('joined.outcome') }} as outcome_label,
    joined.condition,
    {{ condition_label('joined.condition', tract_conditions()) }} as condition_label,
    cast(joined.count_tracts as integer) as count_tracts,
    joined.r,
    case when joined.r is not null then {{ fisher_z_bound('joined.r', 'joined.count_tracts', -1) }} end as r_lb,
    case when joined.r is not null then {{ fisher_z_bound('joined.r', 'joined.count_tracts', 1) }} end as r_ub,
    joined.coef_std,
    joined.coef_std_se,
    joined.coef_std - {{ t_quantile_975('joined.df_resid') }} * joined.coef_std_se as coef_std_lb,
    joined.coef_std + {{ t_quantile_975('joined.df_resid') }} * joined.coef_std_se as coef_std_ub,
    cast(joined.count_tracts_model as integer) as count_tracts_model,
    joined.r_squared_model,
    joined.vif,
    joined.vif > {{ var('max_vif') }} as is_collinear,
    case when joined.r is not null then cast(row_number() over (
        partition by joined.city_geoid, joined.acs_vintage, joined.outcome
        order by case when joined.r is null then 1 else 0 end, abs(joined.r) desc, joined.condition
    ) as integer) end as rank_abs_r
from joined
inner join places on places.city_geoid = joined.city_geoid
