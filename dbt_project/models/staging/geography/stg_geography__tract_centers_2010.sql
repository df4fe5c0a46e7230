with source as (select * from {{ source('geography', 'geo_tract_centers_2010') }}),

renamed as (
    select {{ tract_centers_columns() }}
    from source
)

select * from renamed
