with source as (select * from {{ source('census', 'census_acs_tract_values') }}),

renamed as (
    select
        dataset,
        cast(year as integer) as year,
        tract_geoid,
        state || county as county_geoid,
        tract_name,
        variable,
        -- Negative annotation codes (-666666666 ...) mean "no estimate", not a value.
        case when value like '-%' and length(value) = 10 then null else cast(value as double) end as value,
        value like '-%' and length(value) = 10 as is_annotated,
        source_file
    from source
)

select * from renamed
