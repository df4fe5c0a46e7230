with source as (select * from {{ source('geography', 'geo_tract_place_2010') }}),

renamed as (
    select {{ tract_place_columns() }}
    from source
)

select * from renamed
