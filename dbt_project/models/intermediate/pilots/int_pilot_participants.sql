-- The current version of each participant: a later upload corrects an earlier one, and once a
-- pilot has any real (non-synthetic) participant, its synthetic rows are left out.
with pilots as (
    {{ pilots_to_build() }}
),

participants as (
    select participants.*, pilots.pilot_version
    from {{ ref('stg_pilots__participants') }} as participants
    inner join pilots using (pilot_id)
),

pilots_with_real_data as (
    select distinct pilot_id from participants where not is_synthetic
),

in_scope as (
    select participants.*
    from participants
    where not participants.is_synthetic
        or participants.pilot_id not in (select pilot_id from pilots_with_real_data)
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
    is_synthetic,
    pilot_version
from in_scope
qualify row_number() over (
    partition by pilot_id, participant_key order by accepted_at desc, source_row desc
) = 1
