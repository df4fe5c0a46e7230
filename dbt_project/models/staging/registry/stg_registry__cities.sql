with source as (select * from {{ source('registry', 'city_registry') }}),

renamed as (
    select
        city_geoid,
        trim(city_name) as city_name,
        upper(trim(state_abbr)) as state_abbr,
        state_fips,
        right(city_geoid, 5) as place_fips,
        {{ split_padded('county_geoids', ';', 5) }} as county_geoids,
        trim(pilot_topic) as pilot_topic,
        trim(pilot_name) as pilot_name
    from source
)

select * from renamed
