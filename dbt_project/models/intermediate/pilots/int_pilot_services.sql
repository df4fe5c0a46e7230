-- Current services of current participants: the latest upload wins for a participant, date
-- and service type.
with services as (
    {{ pilot_rows_to_build(ref('stg_pilots__services')) }}
),

participants as (
    select pilot_id, participant_key, arm from {{ ref('int_pilot_participants') }}
),

latest as (
    {{ latest_upload('services', ['pilot_id', 'participant_key', 'service_date', 'service_type'], ['amount', 'is_synthetic']) }}
)

select
    latest.pilot_id,
    latest.participant_key,
    participants.arm,
    latest.service_date,
    latest.service_type,
    latest.amount,
    latest.is_synthetic,
    latest.pilot_version
from latest
inner join participants using (pilot_id, participant_key)
