with source as (
    select * from {{ source('urban', 'urban_housing') }}
)

select
    state || place as place_geoid,
    cast(year as integer) as year,
    subgroup_type,
    subgroup,
    * exclude (state, place, year, subgroup_type, subgroup)
from source
