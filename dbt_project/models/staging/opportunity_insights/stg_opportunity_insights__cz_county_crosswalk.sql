with source as (select * from {{ source('opportunity_insights', 'oi_cz_county_crosswalk') }}),

renamed as (
    select
        state || county as county_geoid,
        state as state_fips,
        cast(cz as integer) as cz,
        czname as cz_name
    from source
)

select * from renamed
