with source as (select * from {{ source('cradle_to_career', 'c2c_learning_rate') }}),

renamed as (
    select {{ urban_place_columns() }}
    from source
)

select * from renamed
