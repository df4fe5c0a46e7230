with source as (select * from {{ source('atlas', 'atlas_social_capital_county') }}),

renamed as (
    select
        county as county_geoid,
        county_name,
        cast(pop2018 as bigint) as population_2018,
        {{ star_except(['county', 'county_name', 'pop2018']) }}
    from source
)

select * from renamed
