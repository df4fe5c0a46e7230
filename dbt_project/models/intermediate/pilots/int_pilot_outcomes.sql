-- Current outcome measurements of current participants: the latest upload wins for a
-- participant, outcome and date.
with outcomes as (
    {{ pilot_rows_to_build(ref('stg_pilots__outcomes')) }}
),

participants as (
    select pilot_id, participant_key from {{ ref('int_pilot_participants') }}
),

latest as (
    {{ latest_upload('outcomes', ['pilot_id', 'participant_key', 'outcome', 'outcome_date'], ['outcome_value', 'is_synthetic']) }}
)

select * from latest
{{ semi_join() }} participants using (pilot_id, participant_key)
