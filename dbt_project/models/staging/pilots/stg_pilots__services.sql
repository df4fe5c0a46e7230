with source as (
    select * from {{ source('pilots', 'pilot_services') }}
)

select
    city_geoid,
    pilot_id,
    participant_key,
    service_date,
    service_type,
    amount,
    is_synthetic,
    source_sha256,
    source_row,
    accepted_at
from source
