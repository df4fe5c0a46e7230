with source as (
    select * from {{ source('pilots', 'pilot_participants') }}
)

select
    city_geoid,
    pilot_id,
    participant_key,
    arm,
    enrolment_date,
    exit_date,
    home_tract_geoid,
    race_ethnicity,
    gender,
    age_band,
    baseline_value,
    is_synthetic,
    source_sha256,
    source_row,
    accepted_at
from source
