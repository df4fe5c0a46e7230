with source as (select * from {{ source('geography', 'geo_tract_attributes_2019') }}),

renamed as (
    select
        GEOID as tract_geoid,
        STATEFP || COUNTYFP as county_geoid,
        NAMELSAD as tract_name,
        cast(ALAND as bigint) as land_area_m2,
        cast(AWATER as bigint) as water_area_m2,
        cast(INTPTLAT as double) as latitude,
        cast(INTPTLON as double) as longitude
    from source
)

select * from renamed
