-- Per pilot, month, arm and outcome: participants enrolled, newly enrolled and active, served and
-- services, and participants measured and reaching the outcome so far (each one's latest
-- measurement up to the month's end), before small-cell suppression.
with pilots as (
    {{ pilots_to_build() }}
),

participants as (
    select * from {{ ref('int_pilot_participants') }}
    where pilot_id in (select pilot_id from pilots)
),

services as (
    select * from {{ ref('int_pilot_services') }}
    where pilot_id in (select pilot_id from pilots)
),

outcomes as (
    select * from {{ ref('int_pilot_outcomes') }}
    where pilot_id in (select pilot_id from pilots)
),

definitions as (
    select * from {{ ref('stg_pilots__outcome_definitions') }}
),

programs as (
    select * from {{ ref('stg_pilots__programs') }}
    where pilot_id in (select pilot_id from pilots)
),

last_activity as (
    select pilot_id, max(activity_date) as last_date
    from (
        select pilot_id, service_date as activity_date from services
        union all
        select pilot_id, outcome_date from outcomes
    )
    group by pilot_id
),

months as (
    select
        programs.pilot_id,
        programs.city_geoid,
        cast(unnest(generate_series(
            date_trunc('month', programs.start_date),
            date_trunc('month', greatest(programs.end_date, coalesce(last_activity.last_date, programs.end_date))),
            interval 1 month
        )) as date) as month
    from programs
    left join last_activity using (pilot_id)
),

arms as (
    select distinct pilot_id, arm from participants
),

grid as (
    select months.*, arms.arm, definitions.outcome
    from months
    inner join arms using (pilot_id)
    inner join definitions using (pilot_id)
),

enrolment as (
    select
        grid.pilot_id, grid.month, grid.arm,
        count(*) filter (where participants.enrolment_date <= last_day(grid.month)) as count_enrolled,
        count(*) filter (where date_trunc('month', participants.enrolment_date) = grid.month) as count_new_enrolled,
        count(*) filter (
            where participants.enrolment_date <= last_day(grid.month)
            and (participants.exit_date is null or participants.exit_date >= grid.month)
        ) as count_active
    from (select distinct pilot_id, month, arm from grid) as grid
    inner join participants using (pilot_id, arm)
    group by all
),

service_months as (
    select
        pilot_id, arm, date_trunc('month', service_date) as month,
        count(distinct participant_key) as count_served,
        count(*) as count_services
    from services
    group by all
),

-- A participant's latest measurement up to a month's end is the last one of the latest month
-- with a measurement: it holds from that month until the participant's next measured month.
-- Counting +1 where such a spell starts and -1 where it ends, the running sum over months is
-- the number measured (and reaching) so far, without a row per participant and month.
measured_months as (
    select
        pilot_id, participant_key, outcome, date_trunc('month', outcome_date) as month,
        arg_max(outcome_value, outcome_date) as outcome_value
    from outcomes
    group by all
),

spells as (
    select
        measured_months.pilot_id,
        participants.arm,
        measured_months.outcome,
        measured_months.month,
        lead(measured_months.month) over (
            partition by measured_months.pilot_id, measured_months.participant_key, measured_months.outcome
            order by measured_months.month
        ) as next_month,
        case
            when definitions.better_direction = 'higher' then measured_months.outcome_value >= definitions.success_threshold
            else measured_months.outcome_value <= definitions.success_threshold
        end is true as reached
    from measured_months
    inner join participants using (pilot_id, participant_key)
    inner join definitions using (pilot_id, outcome)
),

changes as (
    select pilot_id, arm, outcome, month, 1 as measured, reached::integer as reached from spells
    union all
    select pilot_id, arm, outcome, next_month, -1, -(reached::integer) from spells where next_month is not null
),

change_totals as (
    select pilot_id, arm, outcome, month, sum(measured) as measured, sum(reached) as reached
    from changes
    group by all
),

reached_counts as (
    select
        grid.pilot_id, grid.month, grid.arm, grid.outcome,
        sum(change_totals.measured) as count_measured,
        sum(change_totals.reached) as count_reached
    from grid
    inner join change_totals
        on change_totals.pilot_id = grid.pilot_id
        and change_totals.arm = grid.arm
        and change_totals.outcome = grid.outcome
        and change_totals.month <= grid.month
    group by all
),

synthetic as (
    select pilot_id, bool_or(is_synthetic) as is_synthetic from participants group by pilot_id
)

select
    grid.pilot_id,
    grid.city_geoid,
    grid.month,
    grid.arm,
    grid.outcome,
    coalesce(enrolment.count_enrolled, 0) as count_enrolled,
    coalesce(enrolment.count_new_enrolled, 0) as count_new_enrolled,
    coalesce(enrolment.count_active, 0) as count_active,
    coalesce(service_months.count_served, 0) as count_served,
    coalesce(service_months.count_services, 0) as count_services,
    cast(coalesce(reached_counts.count_measured, 0) as bigint) as count_measured,
    cast(coalesce(reached_counts.count_reached, 0) as bigint) as count_reached,
    synthetic.is_synthetic,
    pilots.pilot_version
from grid
inner join pilots using (pilot_id)
left join enrolment using (pilot_id, month, arm)
left join service_months using (pilot_id, month, arm)
left join reached_counts using (pilot_id, month, arm, outcome)
left join synthetic using (pilot_id)
