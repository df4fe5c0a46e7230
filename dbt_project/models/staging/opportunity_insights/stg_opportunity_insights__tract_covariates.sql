with source as (select * from {{ source('opportunity_insights', 'oi_tract_covariates') }}),

renamed as (
    select
        state || county || tract as tract_geoid,
        cast(hhinc_mean2000 as double) as mean_household_income_2000
    from source
)

select * from renamed
