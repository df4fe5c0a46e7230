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
        {{ unnest_months(
            "date_trunc('month', programs.start_date)",
            "date_trunc('month', greatest(programs.end_date, coalesce(last_activity.last_date, programs.end_date)))"
        ) }} as month
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

-- Running sums over months replace a row per participant and month: a participant counts as
-- enrolled from the month of enrolment and as active until the month of exit.
participant_changes as (
    select pilot_id, arm, cast(date_trunc('month', enrolment_date) as date) as month, 1 as enrolled, 1 as active
    from participants
    union all
    select pilot_id, arm, cast(date_trunc('month', exit_date) + interval 1 month as date), 0, -1
    from participants
    where exit_date is not null
),

participant_totals as (
    select pilot_id, arm, month, sum(enrolled) as enrolled, sum(active) as active
    from participant_changes
    group by all
),

enrolment as (
    select
        grid_months.pilot_id, grid_months.month, grid_months.arm,
        sum(participant_totals.enrolled) as count_enrolled,
        sum(participant_totals.enrolled) filter (where participant_totals.month = grid_months.month) as count_new_enrolled,
        sum(participant_totals.active) as count_active
    from (select distinct pilot_id, month, arm from grid) as grid_months
    inner join participant_totals
        on participant_totals.pilot_id = grid_months.pilot_id
        and participant_totals.arm = grid_months.arm
        and participant_totals.month <= grid_months.month
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

-- A participant counts as measured from the month of their first measurement, and as reaching
-- the outcome while their latest measurement up to the month's end does: each measurement adds
-- the change it makes to that state, and the running sum over months gives the counts.
measurement_steps as (
    select
        outcomes.pilot_id,
        outcomes.participant_key,
        outcomes.outcome,
        {{ ordered_list({
            'month': "cast(date_trunc('month', outcomes.outcome_date) as date)",
            'reached': "(case
                when definitions.better_direction = 'higher' then outcomes.outcome_value >= definitions.success_threshold
                else outcomes.outcome_value <= definitions.success_threshold
            end) is true",
        }, 'outcomes.outcome_date') }} as steps
    from outcomes
    inner join definitions using (pilot_id, outcome)
    group by all
),

outcome_changes as (
    select
        measurement_steps.pilot_id,
        participants.arm,
        measurement_steps.outcome,
        {{ unnest_state_changes('measurement_steps.steps') }} as change
    from measurement_steps
    inner join participants using (pilot_id, participant_key)
),

change_totals as (
    select pilot_id, arm, outcome, change.month as month, sum(change.measured) as measured, sum(change.reached) as reached
    from outcome_changes
    where change.measured <> 0 or change.reached <> 0
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
    cast(coalesce(enrolment.count_enrolled, 0) as bigint) as count_enrolled,
    cast(coalesce(enrolment.count_new_enrolled, 0) as bigint) as count_new_enrolled,
    cast(coalesce(enrolment.count_active, 0) as bigint) as count_active,
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
