with source as (
    select * from {{ source('atlas', 'atlas_tract_household_income') }}
)

select
    tract as tract_geoid,
    "Name" as atlas_name,
    cast("Household_Income_at_Age_35_rP_gP_p25" as double) as household_income_at_35_p25
from source
