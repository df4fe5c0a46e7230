-- Short-term indicators per pilot, month, arm and outcome. Counts of participants below
-- small_cell_min are null (and the figures that rest on them), listed in suppressed_cells.
with monthly_counts as (
    select * from {{ ref('int_pilot_monthly_counts') }}
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
from monthly_counts
