with source as (select * from {{ source('census', 'census_decennial_tract_population') }}),

renamed as (
    select
        cast(year as integer) as year,
        tract_geoid,
        state || county as county_geoid,
        tract_name,
        variable,
        cast(value as bigint) as population,
        source_file
    from source
)

select * from renamed
