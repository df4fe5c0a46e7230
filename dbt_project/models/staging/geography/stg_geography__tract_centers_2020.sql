with source as (select * from {{ source('geography', 'geo_tract_centers_2020') }}),

renamed as (
    select {{ tract_centers_columns() }}
    from source
)

select * from renamed
