-- Short-term indicators per pilot, month, arm and outcome. Counts of participants below
-- small_cell_min are null (and the figures that rest on them), listed in suppressed_cells.
with participants as (
    select * from {{ ref('int_pilot_participants') }}
),

services as (
    select * from {{ ref('int_pilot_services') }}
),

outcomes as (
    select * from {{ ref('int_pilot_outcomes') }}
),

definitions as (
    select * from {{ ref('stg_pilots__outcome_definitions') }}
),

programs as (
    select * from {{ ref('stg_pilots__programs') }}
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
    select months.*, arms.arm, definitions.outcome, definitions.better_direction, definitions.success_threshold,
        last_day(months.month) as month_end
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

reached_counts as (
    -- Each participant's latest measurement up to each month's end.
    select pilot_id, month, arm, outcome, count(*) as count_measured, count(*) filter (where reached) as count_reached
    from (
        select
            grid.pilot_id, grid.month, grid.arm, grid.outcome,
            case when grid.better_direction = 'higher'
                 then outcomes.outcome_value >= grid.success_threshold
                 else outcomes.outcome_value <= grid.success_threshold end as reached
        from grid
        inner join participants on participants.pilot_id = grid.pilot_id and participants.arm = grid.arm
        inner join outcomes
            on outcomes.pilot_id = grid.pilot_id
            and outcomes.participant_key = participants.participant_key
            and outcomes.outcome = grid.outcome
            and outcomes.outcome_date <= grid.month_end
        qualify row_number() over (
            partition by grid.pilot_id, grid.month, grid.arm, grid.outcome, participants.participant_key
            order by outcomes.outcome_date desc
        ) = 1
    )
    group by all
),

synthetic as (
    select pilot_id, bool_or(is_synthetic) as is_synthetic from participants group by pilot_id
),

combined as (
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
        coalesce(reached_counts.count_measured, 0) as count_measured,
        coalesce(reached_counts.count_reached, 0) as count_reached,
        synthetic.is_synthetic
    from grid
    left join enrolment using (pilot_id, month, arm)
    left join service_months using (pilot_id, month, arm)
    left join reached_counts using (pilot_id, month, arm, outcome)
    left join synthetic using (pilot_id)
)

select
    pilot_id,
    city_geoid,
    month,
    arm,
    outcome,
    case when count_enrolled >= {{ var('small_cell_min') }} then count_enrolled end as count_enrolled,
    case when count_new_enrolled >= {{ var('small_cell_min') }} then count_new_enrolled end as count_new_enrolled,
    case when count_active >= {{ var('small_cell_min') }} then count_active end as count_active,
    case when count_served >= {{ var('small_cell_min') }} then count_served end as count_served,
    case when count_served >= {{ var('small_cell_min') }} then count_services end as count_services,
    case when count_measured >= {{ var('small_cell_min') }} then count_measured end as count_measured_to_date,
    case when count_reached >= {{ var('small_cell_min') }} then count_reached end as count_reached_to_date,
    case when count_reached >= {{ var('small_cell_min') }} and count_enrolled >= {{ var('small_cell_min') }}
         then count_reached / count_enrolled end as share_reached_of_enrolled,
    case when count_reached >= {{ var('small_cell_min') }} and count_measured >= {{ var('small_cell_min') }}
         then count_reached / count_measured end as share_reached_of_measured,
    least(count_enrolled, count_new_enrolled, count_active, count_served, count_measured, count_reached)
        < {{ var('small_cell_min') }} as is_suppressed,
    concat_ws(', ',
        case when count_enrolled < {{ var('small_cell_min') }} then 'count_enrolled' end,
        case when count_new_enrolled < {{ var('small_cell_min') }} then 'count_new_enrolled' end,
        case when count_active < {{ var('small_cell_min') }} then 'count_active' end,
        case when count_served < {{ var('small_cell_min') }} then 'count_served, count_services' end,
        case when count_measured < {{ var('small_cell_min') }} then 'count_measured_to_date, share_reached_of_measured' end,
        case when count_reached < {{ var('small_cell_min') }} then 'count_reached_to_date, share_reached_of_enrolled, share_reached_of_measured' end
    ) as suppressed_cells,
    is_synthetic
from combined
