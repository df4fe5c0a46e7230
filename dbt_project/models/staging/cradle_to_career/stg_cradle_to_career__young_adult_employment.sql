with source as (select * from {{ source('cradle_to_career', 'c2c_young_adult_employment') }}),

renamed as (
    select
        stco_code as county_geoid,
        -- The file writes 6037a for 06037a: the county GEOID keeps its zero.
        stco_code || right(pl_code, 1) as jurisdiction_code,
        right(pl_code, 1) as jurisdiction_kind,
        coalesce(stco_name, pl_name) as jurisdiction_name,
        age as age_group,
        -- ACS 2013-2015 pooled, per the file's provenance: the file itself names no year.
        2015 as year,
        population as population_group,
        cast(unweighted_total as bigint) as count_sample,
        cast(total as double) as count_weighted,
        cast(pemployed as double) as share_employed
    from source
)

select * from renamed
