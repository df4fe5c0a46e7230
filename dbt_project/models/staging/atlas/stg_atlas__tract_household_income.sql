with source as (select * from {{ source('atlas', 'atlas_tract_household_income') }}),

renamed as (
    select
        tract as tract_geoid,
        {{ adapter.quote('Name') }} as atlas_name,
        cast({{ adapter.quote('Household_Income_at_Age_35_rP_gP_p25') }} as double) as household_income_at_35_p25
    from source
)

select * from renamed
