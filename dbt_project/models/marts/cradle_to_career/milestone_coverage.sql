-- For every covered place and each of StriveTogether's milestones: whether the warehouse
-- measures it (a published value of a measure of the milestone itself), measures it by a
-- proxy only, or has nothing for it, the measures behind that answer and their latest year,
-- and the official source that measures the milestone itself.
with places as (
    select * from {{ ref('int_c2c_places') }}
),

milestones as (
    select * from {{ ref('stg_cradle_to_career__milestones') }}
    where kind = 'milestone'
),

available as (
    select place_geoid, milestone, measure_role, measure, max(year) as latest_year
    from {{ ref('city_cradle_to_career') }}
    where value is not null and measure_role in ('milestone', 'proxy')
    group by all
),

best as (
    select
        place_geoid,
        milestone,
        min(measure_role) as measure_role  -- 'milestone' sorts before 'proxy'
    from available
    group by all
),

described as (
    select
        best.place_geoid,
        best.milestone,
        best.measure_role,
        {{ ordered_string_agg('available.measure', "', '", 'available.measure') }} as measures,
        max(available.latest_year) as latest_year
    from best
    inner join available using (place_geoid, milestone, measure_role)
    group by all
)

select
    places.place_geoid,
    places.place_name,
    places.state_abbr as state,
    places.is_registry_city,
    milestones.milestone_order,
    milestones.stage,
    milestones.milestone,
    milestones.milestone_name,
    case described.measure_role
        when 'milestone' then 'measured'
        when 'proxy' then 'measured by proxy'
        else 'not available'
    end as coverage,
    described.measures,
    described.latest_year,
    milestones.official_source
from places
cross join milestones
left join described
    on described.place_geoid = places.place_geoid and described.milestone = milestones.milestone
