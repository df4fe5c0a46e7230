with source as (select * from {{ source('census', 'census_hamilton_acs_2023') }}),

renamed as (
    select
        census_tract_id_2020 as tract_geoid,
        cast(year as integer) as year,
        {{ cast_columns_except(source('census', 'census_hamilton_acs_2023'), ['census_tract_id_2020', 'year'], 'double') }}
    from source
)

select * from renamed
