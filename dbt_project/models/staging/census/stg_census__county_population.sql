with source as (select * from {{ source('census', 'census_county_population') }}),

-- In the 2014 rows a few names arrive as "State, County" in one field with NA beside it.
names_repaired as (
    select
        *,
        county_name is null and state_name like '%, %' as names_merged
    from source
),

renamed as (
    select
        cast(year as integer) as year,
        state || county as county_geoid,
        state as state_fips,
        trim(case when names_merged then split_part(state_name, ', ', 1) else state_name end) as state_name,
        trim(case when names_merged then split_part(state_name, ', ', 2) else county_name end) as county_name,
        cast(population as bigint) as population
    from names_repaired
)

select * from renamed
