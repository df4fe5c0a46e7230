-- Each large place's mobility against what its conditions predict: the across-place model of
-- place_mobility_conditions (Atlas individual income rank at p25, 0-100, on the standardised
-- Upward Mobility Framework conditions, least squares) fitted to every complete place.
-- The 95% prediction interval is predicted +/- t(0.975, n - k - 1) x the prediction standard
-- error (the residual standard deviation and the uncertainty of the fit at the place's
-- conditions), with t from Student's distribution (macro t_quantile_975). A place is
-- better or worse than predicted when its observed mobility lies above or below that interval.
-- A pattern, not an effect: conditions left out of the model may explain the gap.
{% set columns = place_conditions() | map(attribute=0) | list %}

with places as (
    select * from {{ ref('int_place_conditions') }}
    where is_complete
),

fit_rows as (
    select city_geoid, observed, {{ zscores_as_columns(columns) }}
    from places
),

fitted as (
    {{ ols_fitted('fit_rows', y='observed', x=columns, id_columns=['city_geoid']) }}
),

intervals as (
    select
        fitted.*,
        count(*) over () - {{ columns | length + 1 }} as df_resid
    from fitted
),

bounded as (
    select
        intervals.*,
        fitted - {{ t_quantile_975('df_resid') }} * prediction_se as prediction_lb,
        fitted + {{ t_quantile_975('df_resid') }} * prediction_se as prediction_ub
    from intervals
)

select
    bounded.city_geoid,
    places.city_name,
    places.state_abbr,
    'income_rank_p25' as outcome,
    bounded.observed,
    bounded.fitted as predicted,
    bounded.residual,
    bounded.prediction_se,
    bounded.prediction_lb,
    bounded.prediction_ub,
    case
        when bounded.observed > bounded.prediction_ub then 'better_than_predicted'
        when bounded.observed < bounded.prediction_lb then 'worse_than_predicted'
        else 'as_predicted'
    end as verdict,
    cast(count(*) over () as integer) as count_places,
    cast(bounded.df_resid as integer) as df_resid
from bounded
inner join places on places.city_geoid = bounded.city_geoid
