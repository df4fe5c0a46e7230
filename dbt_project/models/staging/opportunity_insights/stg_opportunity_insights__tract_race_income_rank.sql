with source as (select * from {{ source('opportunity_insights', 'oi_tract_race_income_rank') }}),

renamed as (
    select
        state || county || tract as tract_geoid,
        state || county as county_geoid,
        cast(kir_pooled_p25 as double) as kir_pooled_p25,
        cast(kir_white_p25 as double) as kir_white_p25,
        cast(kir_black_p25 as double) as kir_black_p25,
        cast(kid_pooled_n as bigint) as kid_pooled_n,
        cast(kid_white_n as bigint) as kid_white_n,
        cast(kid_black_n as bigint) as kid_black_n
    from source
)

select * from renamed
