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
),

-- The latest accepted row per key (an aggregate: cheaper than a window here).
latest as (
    select
        pilot_id,
        participant_key,
        service_date,
        service_type,
        max_by({{ struct_pack({'amount': 'amount', 'is_synthetic': 'is_synthetic'}) }}, {{ row_tuple(['accepted_at', 'source_row']) }}) as service,
        min(pilot_version) as pilot_version
    from services
    group by pilot_id, participant_key, service_date, service_type
)

select
    latest.pilot_id,
    latest.participant_key,
    participants.arm,
    latest.service_date,
    latest.service_type,
    latest.service.amount as amount,
    latest.service.is_synthetic as is_synthetic,
    latest.pilot_version
from latest
inner join participants using (pilot_id, participant_key)
