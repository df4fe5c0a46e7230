with source as (
    select * from {{ source('pilots', 'pilot_outcomes') }}
)

select
    city_geoid,
    pilot_id,
    participant_key,
    outcome,
    outcome_date,
    value as outcome_value,
    is_synthetic,
    source_sha256,
    source_row,
    accepted_at
from source
