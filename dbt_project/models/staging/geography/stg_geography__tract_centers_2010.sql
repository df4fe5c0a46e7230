with source as (
    select * from {{ source('geography', 'geo_tract_centers_2010') }}
)

select
    GEOID as tract_geoid,
    STATEFP || COUNTYFP as county_geoid,
    STATEFP as state_fips,
    cast(POPULATION as bigint) as population,
    cast(LATITUDE as double) as latitude,
    cast(LONGITUDE as double) as longitude
from source
