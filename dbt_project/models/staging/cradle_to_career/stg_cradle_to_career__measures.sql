with source as (select * from {{ source('cradle_to_career', 'c2c_measures') }}),

renamed as (
    select
        source,
        source_measure,
        measure,
        milestone,
        role,
        unit,
        description
    from source
)

select * from renamed
