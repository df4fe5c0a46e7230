-- The loader types the columns its source declares; the file a row came from stays in raw.
with source as (select * from {{ source('pilots', 'pilot_outcomes') }}),

renamed as (
    select {{ star_except_rename(source('pilots', 'pilot_outcomes'), ['source_file'], {'value': 'outcome_value'}) }} from source
)

select * from renamed
