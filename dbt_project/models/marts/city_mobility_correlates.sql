-- Within each registry city, the Pearson correlation across its 2010 tracts between each
-- pooled Atlas outcome and each tract characteristic, with a 95% interval from Fisher's z:
-- tanh(atanh(r) +/- 1.96 / sqrt(n - 3)). Suppressed below 10 tracts with both values.

with city_tracts as (
    select tract_city.tract_geoid, tract_city.city_geoid, registry.city_name
    from {{ ref('int_tract_city') }} as tract_city
    inner join {{ ref('dim_city') }} as registry on registry.city_geoid = tract_city.city_geoid
    where tract_city.tract_vintage = 2010
),

outcomes as (
    select tract_geoid, outcome, estimate, source
    from {{ ref('int_tract_outcomes') }}
    where race = 'pooled' and gender = 'pooled' and not is_excluded_from_means
),

pairs as (
    select
        city_tracts.city_geoid,
        city_tracts.city_name,
        outcomes.outcome,
        outcomes.source as outcome_source,
        characteristics.characteristic,
        characteristics.year as characteristic_year,
        characteristics.source as characteristic_source,
        outcomes.estimate,
        characteristics.value
    from city_tracts
    inner join outcomes on outcomes.tract_geoid = city_tracts.tract_geoid
    inner join {{ ref('int_tract_characteristics') }} as characteristics
        on characteristics.tract_geoid = city_tracts.tract_geoid
),

correlations as (
    select
        city_geoid,
        city_name,
        outcome,
        characteristic,
        characteristic_year,
        characteristic_source,
        outcome_source,
        count(*) as count_tracts,
        corr(estimate, value) as r
    from pairs
    group by all
),

intervals as (
    select
        *,
        count_tracts < {{ var('min_correlation_tracts') }} or r is null or isnan(r) as suppressed,
        -- |r| = 1 has no finite z; clamp so the interval collapses onto it.
        atanh(least(greatest(r, -0.999999), 0.999999)) as z
    from correlations
)

select
    city_geoid,
    city_name,
    outcome,
    characteristic,
    characteristic_year,
    characteristic_source,
    cast(count_tracts as integer) as count_tracts,
    case when not suppressed then r end as r,
    case when not suppressed then tanh(z - 1.96 / sqrt(count_tracts - 3)) end as r_lb,
    case when not suppressed then tanh(z + 1.96 / sqrt(count_tracts - 3)) end as r_ub,
    case when not suppressed then
        tanh(z - 1.96 / sqrt(count_tracts - 3)) > 0 or tanh(z + 1.96 / sqrt(count_tracts - 3)) < 0
    end as interval_excludes_zero,
    suppressed,
    outcome_source
from intervals
