-- One row per participant and registered outcome: the measurement inside the outcome's
-- follow-up window (the latest if several; null when none), how many measurements fell outside
-- the window (counted, never used), whether the window had closed by the pilot's extract date
-- (the latest measurement date in its data), and what the estimates need of the participant.
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
    select pilot_id, outcome, window_start_days, window_end_days from {{ ref('stg_pilots__outcome_definitions') }}
),

outcomes as (
    select pilot_id, participant_key, outcome, outcome_date, outcome_value
    from {{ ref('int_pilot_outcomes') }}
    where pilot_id in (select pilot_id from pilots)
),

extract_dates as (
    select pilot_id, max(outcome_date) as extract_date from outcomes group by pilot_id
),

-- The quintile of the participant's home tract within the pilot's city on the Opportunity Atlas
-- outcome named by var pilot_opportunity_outcome (all races and genders): whom the pilot helps.
home_opportunity as (
    select city_geoid, tract_geoid as home_tract_geoid, quintile_in_city as home_opportunity_quintile
    from {{ ref('tract_opportunity') }}
    where outcome = '{{ var("pilot_opportunity_outcome") }}' and race = 'pooled' and gender = 'pooled'
),

served as (
    select distinct pilot_id, participant_key
    from {{ ref('int_pilot_services') }}
    where pilot_id in (select pilot_id from pilots)
),

timed as (
    select
        outcomes.*,
        {{ days_between('participants.enrolment_date', 'outcomes.outcome_date') }}
            between definitions.window_start_days and definitions.window_end_days as is_in_window
    from outcomes
    inner join participants using (pilot_id, participant_key)
    inner join definitions using (pilot_id, outcome)
),

in_window as (
    select
        pilot_id,
        participant_key,
        outcome,
        max(outcome_date) as outcome_date,
        max_by(outcome_value, outcome_date) as outcome_value
    from timed
    where is_in_window
    group by pilot_id, participant_key, outcome
),

outside_window as (
    select pilot_id, participant_key, outcome, count(*) as count_outside_window
    from timed
    where not is_in_window
    group by pilot_id, participant_key, outcome
)

select
    participants.city_geoid,
    participants.pilot_id,
    programs.design,
    participants.participant_key,
    participants.arm,
    cast(case when participants.arm = 'treatment' then 1 else 0 end as double) as treated,
    participants.race_ethnicity,
    participants.gender,
    participants.age_band,
    participants.home_tract_geoid,
    home_opportunity.home_opportunity_quintile,
    participants.cluster_id,
    definitions.outcome,
    definitions.outcome = programs.main_outcome as is_main_outcome,
    case when definitions.outcome = programs.main_outcome then participants.baseline_value end as baseline_value,
    in_window.outcome_value is not null
        or {{ days_between('participants.enrolment_date', 'extract_dates.extract_date') }} >= definitions.window_end_days
        as is_due,
    in_window.outcome_date,
    in_window.outcome_value,
    coalesce(outside_window.count_outside_window, 0) as count_outside_window,
    cast(case when served.participant_key is not null then 1 else 0 end as double) as took_up,
    participants.is_synthetic,
    participants.pilot_version
from participants
inner join programs using (pilot_id)
inner join definitions using (pilot_id)
left join extract_dates using (pilot_id)
left join home_opportunity
    on home_opportunity.city_geoid = participants.city_geoid
    and home_opportunity.home_tract_geoid = participants.home_tract_geoid
left join served
    on served.pilot_id = participants.pilot_id
    and served.participant_key = participants.participant_key
left join in_window
    on in_window.pilot_id = participants.pilot_id
    and in_window.participant_key = participants.participant_key
    and in_window.outcome = definitions.outcome
left join outside_window
    on outside_window.pilot_id = participants.pilot_id
    and outside_window.participant_key = participants.participant_key
    and outside_window.outcome = definitions.outcome
