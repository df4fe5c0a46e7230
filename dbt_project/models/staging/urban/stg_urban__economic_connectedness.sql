with source as (
    select * from {{ source('urban', 'urban_economic_connectedness') }}
)

select
    state || place as place_geoid,
    cast(year as integer) as year,
    * exclude (state, place, year)
from source
