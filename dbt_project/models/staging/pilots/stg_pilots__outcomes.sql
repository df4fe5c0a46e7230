-- The loader types the columns its source declares; the file a row came from stays in raw.
with source as (select * from {{ source('pilots', 'pilot_outcomes') }}),

renamed as (
    select
        {{ star_except_rename(source('pilots', 'pilot_outcomes'), ['source_file', 'participant_key'], {'value': 'outcome_value'}) }},
        {{ compact_key('participant_key') }} as participant_key
    from source
)

select * from renamed
