with source as (select * from {{ source('urban', 'urban_income') }}),

renamed as (
    select {{ urban_place_columns() }}
    from source
)

select * from renamed
