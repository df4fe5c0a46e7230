-- The rows the within-city correlations and models read: every 2010 tract of every place (the
-- tract-to-place assignment of city_mobility) x pooled Atlas outcome at p25 x ACS release, with
-- the tract's conditions of that release. Only places with at least var min_correlation_tracts
-- tracts with an estimate of the outcome: fewer cannot carry a correlation.
with place_tracts as (
    select tract_geoid, city_geoid
    from {{ ref('int_tract_city') }}
    where tract_vintage = 2010
),

outcomes as (
    select tract_geoid, outcome, estimate
    from {{ ref('int_tract_outcomes') }}
    where race = 'pooled' and gender = 'pooled' and parent_pctile = 25 and not is_excluded_from_means
),

releases as (
    select distinct acs_vintage from {{ ref('int_tract_conditions') }}
),

tract_rows as (
    select
        place_tracts.city_geoid,
        releases.acs_vintage,
        outcomes.outcome,
        place_tracts.tract_geoid,
        outcomes.estimate,
        {%- for column, label, in_model in tract_conditions() %}
        conditions.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from place_tracts
    inner join outcomes on outcomes.tract_geoid = place_tracts.tract_geoid
    cross join releases
    -- A tract the ACS files lack still counts towards the place's tracts with estimates.
    left join {{ ref('int_tract_conditions') }} as conditions
        on conditions.tract_geoid = place_tracts.tract_geoid
        and conditions.acs_vintage = releases.acs_vintage
),

counted as (
    select
        *,
        count(*) over (partition by city_geoid, acs_vintage, outcome) as count_tracts_with_estimate
    from tract_rows
)

select * from counted
where count_tracts_with_estimate >= {{ var('min_correlation_tracts') }}
