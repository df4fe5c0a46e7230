-- One row per participant and registered outcome: the participant's last measurement (null
-- when never measured) and, for the main outcome, the baseline. Impact estimates use these.
with pilots as (
    {{ pilots_to_build() }}
),

participants as (
    select participants.*
    from {{ ref('int_pilot_participants') }} as participants
    inner join pilots using (pilot_id)
),

programs as (
    select pilot_id, design, main_outcome from {{ ref('stg_pilots__programs') }}
),

definitions as (
    select * from {{ ref('stg_pilots__outcome_definitions') }}
),

last_measurements as (
    select
        pilot_id,
        participant_key,
        outcome,
        max(outcome_date) as outcome_date,
        max_by(outcome_value, outcome_date) as outcome_value
    from {{ ref('int_pilot_outcomes') }}
    where pilot_id in (select pilot_id from pilots)
    group by pilot_id, participant_key, outcome
)

select
    participants.city_geoid,
    participants.pilot_id,
    programs.design,
    participants.participant_key,
    participants.arm,
    participants.race_ethnicity,
    participants.gender,
    definitions.outcome,
    definitions.outcome = programs.main_outcome as is_main_outcome,
    case when definitions.outcome = programs.main_outcome then participants.baseline_value end as baseline_value,
    last_measurements.outcome_date,
    last_measurements.outcome_value,
    participants.is_synthetic,
    participants.pilot_version
from participants
inner join programs using (pilot_id)
inner join definitions using (pilot_id)
left join last_measurements
    on last_measurements.pilot_id = participants.pilot_id
    and last_measurements.participant_key = participants.participant_key
    and last_measurements.outcome = definitions.outcome
