-- Current services of current participants: the latest upload wins for a participant, date
-- and service type.
with pilots as (
    {{ pilots_to_build() }}
),

services as (
    select services.*, pilots.pilot_version
    from {{ ref('stg_pilots__services') }} as services
    inner join pilots using (pilot_id)
),

participants as (
    select pilot_id, participant_key, arm from {{ ref('int_pilot_participants') }}
)

select
    services.pilot_id,
    services.participant_key,
    participants.arm,
    services.service_date,
    services.service_type,
    services.amount,
    services.is_synthetic,
    services.pilot_version
from services
inner join participants using (pilot_id, participant_key)
qualify row_number() over (
    partition by services.pilot_id, services.participant_key, services.service_date, services.service_type
    order by services.accepted_at desc, services.source_row desc
) = 1
