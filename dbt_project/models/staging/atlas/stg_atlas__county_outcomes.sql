with source as (select * from {{ source('atlas', 'atlas_county_outcomes') }}),

renamed as (
    select
        state || county as county_geoid,
        state as state_fips,
        cast(cz as integer) as cz,
        czname as cz_name,
        {{ star_except(['state', 'county', 'cz', 'czname']) }}
    from source
)

select * from renamed
