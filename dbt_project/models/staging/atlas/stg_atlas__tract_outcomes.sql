with source as (select * from {{ source('atlas', 'atlas_tract_outcomes') }}),

renamed as (
    select
        tract_geoid,
        outcome,
        race,
        gender,
        cast(parent_pctile as integer) as parent_pctile,
        cast(estimate as double) as estimate,
        cast(se as double) as se,
        cast(count_children as double) as count_children,
        source_file
    from source
)

select * from renamed
