-- Race gaps per place and measure: the White, Non-Hispanic value minus each other
-- race-ethnicity's, for the same measure, year and place. Each side's standard error comes
-- from its published 95% bounds: the wider half-interval / 1.96, because Urban clamps bounds
-- at 0 and 1. The two estimates rest on different people, so the errors combine as
-- independent: gap_se = sqrt(se_reference^2 + se_comparison^2); no interval where either side
-- has no bounds. A gap is null where either value is missing or withheld.
{% set reference = 'White, Non-Hispanic' %}

with race_values as (
    select
        *,
        greatest(value - lb, ub - value) / 1.96 as se
    from {{ ref('city_cradle_to_career') }}
    where subgroup_type = 'race-ethnicity'
),

reference as (
    select * from race_values where subgroup = '{{ reference }}'
),

comparison as (
    select * from race_values where subgroup <> '{{ reference }}'
),

gaps as (
    select
        reference.place_geoid,
        reference.place_name,
        reference.state,
        reference.is_registry_city,
        reference.milestone_order,
        reference.stage,
        reference.milestone,
        reference.measure,
        reference.measure_role,
        reference.unit,
        reference.year,
        reference.subgroup as subgroup_reference,
        comparison.subgroup as subgroup_comparison,
        reference.geography,
        reference.source,
        greatest(reference.quality, comparison.quality) as quality,
        reference.suppressed or comparison.suppressed as suppressed,
        reference.value as value_reference,
        comparison.value as value_comparison,
        reference.value - comparison.value as gap,
        {{ combined_se('reference.se', 'comparison.se') }} as gap_se
    from reference
    inner join comparison using (place_geoid, source, measure, year)
)

select *, {{ gap_interval() }}
from gaps
