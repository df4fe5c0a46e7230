-- The current version of each participant: a later upload corrects an earlier one, and once a
-- pilot has any real (non-synthetic) participant, its synthetic rows are left out.
with participants as (
    {{ pilot_rows_to_build(ref('stg_pilots__participants')) }}
),

pilots_with_real_data as (
    select distinct pilot_id from participants where not is_synthetic
),

in_scope as (
    select participants.*
    from participants
    where not participants.is_synthetic
        or participants.pilot_id not in (select pilot_id from pilots_with_real_data)
),

-- The latest accepted row of each participant (an aggregate: cheaper than a window here).
latest as (
    select max_by({{ row_tuple(relation_alias='in_scope') }}, {{ row_tuple(['in_scope.accepted_at', 'in_scope.source_row']) }}) as participant
    from in_scope
    group by in_scope.pilot_id, in_scope.participant_key
),

current_rows as (
    select participant.* from latest
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
    cluster_id,
    is_synthetic,
    pilot_version
from current_rows
