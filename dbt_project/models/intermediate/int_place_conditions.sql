-- The large places (the Urban Institute's 486 places of 75,000+ people) with their Atlas
-- mobility and their Upward Mobility Framework conditions, one row per place: each condition's
-- value of the year nearest var conditions_reference_year (the earlier on a tie), its year, and
-- its z-score (sample standard deviation) across the complete places: those with mobility and
-- every condition, which enter the across-place model and the similar-place search.
{% set conditions = place_conditions() | map(attribute=0) | list %}

with metric_values as (
    select place_geoid, metric, year, value
    from {{ ref('int_urban_metrics') }}
    where subgroup = 'All'
        and metric in ('{{ conditions | join("', '") }}')
    qualify row_number() over (
        partition by place_geoid, metric
        order by abs(year - {{ var('conditions_reference_year') }}), year
    ) = 1
),

-- Mobility: the mean individual income rank (0-100) in adulthood of the place's children of
-- 25th-percentile parents (the Atlas p25 outcome of city_mobility), null where suppressed.
mobility as (
    select places.city_geoid, places.city_name, places.state_abbr, outcomes.estimate
    from {{ ref('int_places') }} as places
    left join {{ ref('int_area_outcomes') }} as outcomes
        on outcomes.area_geoid = places.city_geoid
        and outcomes.area_type = 'place'
        and outcomes.outcome = 'income_rank_p25'
        and outcomes.race = 'pooled'
        and outcomes.gender = 'pooled'
        and not outcomes.suppressed
    where places.is_reference_place
),

wide as (
    select
        mobility.city_geoid,
        mobility.city_name,
        mobility.state_abbr,
        mobility.estimate as observed,
        {%- for column in conditions %}
        max(metric_values.value) filter (where metric_values.metric = '{{ column }}') as {{ column }},
        max(metric_values.year) filter (where metric_values.metric = '{{ column }}') as {{ column }}_year{% if not loop.last %},{% endif %}
        {%- endfor %}
    from mobility
    left join metric_values on metric_values.place_geoid = mobility.city_geoid
    group by mobility.city_geoid, mobility.city_name, mobility.state_abbr, mobility.estimate
),

flagged as (
    select
        *,
        {{ all_not_null(['observed'] + conditions) }} as is_complete
    from wide
)

-- z-scores across the complete places: the sample of the model and of the similar-place search.
select
    *,
    {{ complete_case_zscores(['observed'] + conditions) }}
from flagged
