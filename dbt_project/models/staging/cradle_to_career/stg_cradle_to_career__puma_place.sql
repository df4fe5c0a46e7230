with source as (select * from {{ source('cradle_to_career', 'c2c_puma_place_2010') }}),

renamed as (
    select
        statefip || place as place_geoid,
        statefip as state_fips,
        trim(place_name) as place_name,
        puma,
        cast(pop10 as bigint) as population_2010,
        cast(afact as double) as share_of_puma_in_place,
        cast(geographic_allocation_quality as integer) as quality
    from source
)

select * from renamed
