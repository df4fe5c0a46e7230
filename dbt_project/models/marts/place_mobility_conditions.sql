-- Across places: which conditions go with mobility, all at once. Two models of standardised
-- mobility on standardised conditions (z-scores: each coefficient is in standard deviations of
-- mobility per standard deviation of the condition):
-- - places: the large places with every condition (int_place_conditions), their Atlas mobility
--   (individual income rank at p25) on the Urban Institute Upward Mobility Framework
--   conditions, least squares;
-- - counties: the official county estimates (household income rank at p25) on economic
--   connectedness and ACS 2014-2018 conditions, weighted least squares with weights 1/se^2 of
--   the published standard errors, so noisier estimates count less.
-- Standard errors are HC3 (heteroskedasticity-robust, MacKinnon & White 1985); 95% intervals
-- use Student's t on the residual degrees of freedom. `r` is the simple correlation of the
-- condition with mobility across the same units. Patterns across places, not effects.
{% set place_columns = place_conditions() | map(attribute=0) | list %}
{% set county_columns = county_conditions() | map(attribute=0) | list %}

with places as (
    select * from {{ ref('int_place_conditions') }}
    where is_complete
),

counties as (
    select * from {{ ref('int_county_conditions') }}
    where is_complete
),

place_rows as (
    select {{ zscores_as_columns(['observed'] + place_columns) }}
    from places
),

county_rows as (
    select weight, {{ zscores_as_columns(['observed'] + county_columns) }}
    from counties
),

place_model as (
    {{ ols_coefficients('place_rows', y='observed', x=place_columns, cov_type='HC3') }}
),

county_model as (
    {{ ols_coefficients('county_rows', y='observed', x=county_columns, cov_type='HC3', weight='weight') }}
),

place_correlations as (
    {%- for column in place_columns %}
    select '{{ column }}' as term, corr(observed, {{ column }}) as r from place_rows
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

county_correlations as (
    {%- for column in county_columns %}
    select '{{ column }}' as term, corr(observed, {{ column }}) as r from county_rows
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

coefficients as (
    select
        'places' as model,
        'income_rank_p25' as outcome,
        place_model.term,
        {{ condition_label('place_model.term', place_conditions()) }} as term_label,
        place_model.estimate,
        place_model.std_error,
        place_model.count_obs,
        place_model.df_resid,
        place_model.r_squared,
        place_model.vif,
        place_correlations.r,
        'none' as weight_basis
    from place_model
    left join place_correlations on place_correlations.term = place_model.term
    union all
    select
        'counties' as model,
        'household_income_rank_p25' as outcome,
        county_model.term,
        {{ condition_label('county_model.term', county_conditions()) }} as term_label,
        county_model.estimate,
        county_model.std_error,
        county_model.count_obs,
        county_model.df_resid,
        county_model.r_squared,
        county_model.vif,
        county_correlations.r,
        '1/se^2 of the published county estimate' as weight_basis
    from county_model
    left join county_correlations on county_correlations.term = county_model.term
)

select
    model,
    outcome,
    {{ outcome_label('outcome') }} as outcome_label,
    term,
    coalesce(term_label, 'Intercept (mean of standardised mobility)') as term_label,
    estimate as coef_std,
    std_error as coef_std_se,
    estimate - {{ t_quantile_975('df_resid') }} * std_error as coef_std_lb,
    estimate + {{ t_quantile_975('df_resid') }} * std_error as coef_std_ub,
    cast(count_obs as integer) as count_obs,
    cast(df_resid as integer) as df_resid,
    r_squared,
    vif,
    vif > {{ var('max_vif') }} as is_collinear,
    r,
    weight_basis
from coefficients
