with source as (select * from {{ source('atlas', 'atlas_tract_top20_share') }}),

renamed as (
    select
        tract as tract_geoid,
        {{ adapter.quote('Name') }} as atlas_name,
        cast({{ adapter.quote('Frac._in_Top_20%_Based_on_Household_Income_rP_gP_p25') }} as double) as share_top20_p25
    from source
)

select * from renamed
