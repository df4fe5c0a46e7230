with source as (select * from {{ source('urban', 'urban_crime_rates') }}),

renamed as (
    select {{ urban_place_columns() }}
    from source
)

select * from renamed
