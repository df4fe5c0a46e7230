with source as (select * from {{ source('urban', 'urban_digital_access') }}),

renamed as (
    select {{ urban_place_columns() }}
    from source
)

select * from renamed
