with source as (select * from {{ source('urban', 'urban_race_share_metrics') }}),

renamed as (
    select
        state || place as place_geoid,
        cast(year as integer) as year,
        subgroup_type,
        subgroup,
        {{ star_except(['state', 'place', 'year', 'subgroup_type', 'subgroup']) }}
    from source
)

select * from renamed
