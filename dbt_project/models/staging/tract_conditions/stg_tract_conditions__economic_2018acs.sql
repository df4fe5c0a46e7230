with source as (
    select * from {{ source('tract_conditions', 'tract_economic_2018acs') }}
)

select
    {{ adapter.quote('GEOID') }} as tract_geoid,
    cast(year as integer) as year,
    cast(unempP as double) as pct_unemployed,
    cast(povP as double) as pct_poverty,
    cast(pciE as double) as mean_income_per_capita
from source
