with source as (
    select * from {{ source('pilots', 'pilot_files') }}
)

select
    city_geoid,
    file_name,
    sha256,
    accepted_at,
    is_synthetic,
    count_participants,
    count_services,
    count_outcomes,
    dropped_identifier_columns,
    dropped_other_columns
from source
