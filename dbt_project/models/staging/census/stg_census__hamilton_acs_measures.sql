with source as (select * from {{ source('census', 'census_hamilton_acs_measures') }}),

renamed as (
    select
        census_tract_id_2010 as tract_geoid,
        cast(year as integer) as year,
        {{ cast_columns_except(source('census', 'census_hamilton_acs_measures'), ['census_tract_id_2010', 'year'], 'double') }}
    from source
)

select * from renamed
