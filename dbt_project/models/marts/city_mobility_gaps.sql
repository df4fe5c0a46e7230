-- Race gaps per city: white minus each other race for the same outcome, gender and parental
-- percentile. The two estimates rest on different children, so their errors combine as
-- independent: se = sqrt(se_white^2 + se_other^2); no interval where either se is unknown.
with outcomes as (
    select * from {{ ref('city_mobility') }}
),

white as (
    select * from outcomes where race = 'white'
),

others as (
    select * from outcomes where race not in ('white', 'pooled')
),

gaps as (
    select
        white.city_geoid,
        white.city_name,
        white.state,
        white.outcome,
        white.gender,
        white.parent_pctile,
        'white' as race_reference,
        others.race as race_comparison,
        white.estimate as estimate_reference,
        others.estimate as estimate_comparison,
        white.estimate - others.estimate as gap,
        {{ combined_se('white.se', 'others.se') }} as gap_se,
        white.suppressed or others.suppressed as suppressed,
        greatest(white.quality, others.quality) as quality,
        white.count_children as count_children_reference,
        others.count_children as count_children_comparison,
        white.is_registry_city,
        white.unit,
        white.source
    from white
    inner join others using (city_geoid, outcome, gender, parent_pctile)
)

select
    city_geoid,
    city_name,
    state,
    outcome,
    gender,
    parent_pctile,
    race_reference,
    race_comparison,
    estimate_reference,
    estimate_comparison,
    gap,
    gap_se,
    {{ gap_interval() }},
    count_children_reference,
    count_children_comparison,
    suppressed,
    quality,
    is_registry_city,
    unit,
    source
from gaps
