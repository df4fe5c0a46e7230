-- The version of each registered pilot's inputs: the upload files its city has had accepted and
-- the pilot's rows in the program registry. The other pilot models are incremental with one
-- pilot as the unit: a run rebuilds only the pilots whose version changed (see pilots_to_build).
-- This model itself is a table, rebuilt whole by every run (dbt_project.yml).

with files as (
    select city_geoid, {{ ordered_string_agg('sha256', "','", 'sha256') }} as file_hashes
    from {{ ref('stg_pilots__files') }}
    group by city_geoid
),

definitions as (
    select
        pilot_id,
        {{ ordered_string_agg("concat_ws('|', outcome, outcome_type, better_direction, success_threshold)", "','", 'outcome') }}
            as outcome_rows
    from {{ ref('stg_pilots__outcome_definitions') }}
    group by pilot_id
),

programs as (
    select * from {{ ref('stg_pilots__programs') }}
)

select
    programs.pilot_id,
    programs.city_geoid,
    md5(concat_ws('|', coalesce(files.file_hashes, ''), programs.design, programs.start_date, programs.end_date,
        programs.main_outcome, coalesce(definitions.outcome_rows, ''))) as pilot_version
from programs
left join files using (city_geoid)
left join definitions using (pilot_id)
