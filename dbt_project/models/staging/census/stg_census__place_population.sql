with source as (select * from {{ source('census', 'census_place_population') }}),

renamed as (
    select
        cast(year as integer) as year,
        state || place as place_geoid,
        state as state_fips,
        trim(state_name) as state_name,
        trim(place_name) as place_name,
        cast(population as bigint) as population
    from source
)

select * from renamed
