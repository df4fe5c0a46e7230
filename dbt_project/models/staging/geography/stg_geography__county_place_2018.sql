with source as (select * from {{ source('geography', 'geo_county_place_2018') }}),

renamed as (
    select
        county14 as county_geoid,
        state as state_fips,
        -- A blank place code is the part of the county outside every place.
        case when placefp14 <> '99999' then state || placefp14 end as place_geoid,
        stab as state_abbr,
        trim(cntyname2) as county_name,
        trim(placenm14) as place_name,
        cast(pop10 as bigint) as population_2010,
        cast(afact as double) as share_of_county_in_place,
        cast(trim({{ adapter.quote('AFACT2') }}) as double) as share_of_place_in_county
    from source
)

select * from renamed
