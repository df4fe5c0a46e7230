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
),

-- The latest accepted row per key (an aggregate: cheaper than a window here).
latest as (
    select
        pilot_id,
        participant_key,
        outcome,
        outcome_date,
        max_by({{ struct_pack({'outcome_value': 'outcome_value', 'is_synthetic': 'is_synthetic'}) }}, {{ row_tuple(['accepted_at', 'source_row']) }}) as measurement,
        min(pilot_version) as pilot_version
    from outcomes
    group by pilot_id, participant_key, outcome, outcome_date
)

select
    latest.pilot_id,
    latest.participant_key,
    latest.outcome,
    latest.outcome_date,
    latest.measurement.outcome_value as outcome_value,
    latest.measurement.is_synthetic as is_synthetic,
    latest.pilot_version
from latest
{{ semi_join() }} participants using (pilot_id, participant_key)
