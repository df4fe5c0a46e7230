with source as (select * from {{ source('county_health_rankings', 'chr_county_measures') }}),

renamed as (
    select
        county_geoid,
        year,
        measure_id,
        {{ subgroup_of_code('subgroup') }},
        value,
        lb,
        ub,
        numerator,
        denominator,
        source_file
    from source
)

select * from renamed
