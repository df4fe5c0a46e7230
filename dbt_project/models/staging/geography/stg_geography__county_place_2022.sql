with source as (select * from {{ source('geography', 'geo_county_place_2022') }}),

renamed as (
    select
        countyfip as county_geoid,
        state as state_fips,
        case when place <> '99999' then state || place end as place_geoid,
        stab as state_abbr,
        trim({{ adapter.quote('CountyName') }}) as county_name,
        trim({{ adapter.quote('PlaceName') }}) as place_name,
        cast(population as bigint) as population_2020,
        cast(afact as double) as share_of_county_in_place,
        cast(afact2 as double) as share_of_place_in_county,
        crosswalk_period
    from source
)

select * from renamed
