with source as (
    select * from {{ source('pilots', 'pilot_outcome_definitions') }}
)

select
    trim(pilot_id) as pilot_id,
    trim(outcome) as outcome,
    trim(outcome_type) as outcome_type,
    trim(better_direction) as better_direction,
    trim(unit) as unit,
    cast(success_threshold as double) as success_threshold,
    cast(window_start_days as integer) as window_start_days,
    cast(window_end_days as integer) as window_end_days,
    trim(description) as outcome_description
from source
