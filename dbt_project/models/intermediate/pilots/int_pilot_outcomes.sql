-- Current outcome measurements of current participants: the latest upload wins for a
-- participant, outcome and date.
with pilots as (
    {{ pilots_to_build() }}
),

outcomes as (
    select outcomes.*, pilots.pilot_version
    from {{ ref('stg_pilots__outcomes') }} as outcomes
    inner join pilots using (pilot_id)
),

participants as (
    select pilot_id, participant_key from {{ ref('int_pilot_participants') }}
)

select
    outcomes.pilot_id,
    outcomes.participant_key,
    outcomes.outcome,
    outcomes.outcome_date,
    outcomes.outcome_value,
    outcomes.is_synthetic,
    outcomes.pilot_version
from outcomes
inner join participants using (pilot_id, participant_key)
qualify row_number() over (
    partition by outcomes.pilot_id, outcomes.participant_key, outcomes.outcome, outcomes.outcome_date
    order by outcomes.accepted_at desc, outcomes.source_row desc
) = 1
