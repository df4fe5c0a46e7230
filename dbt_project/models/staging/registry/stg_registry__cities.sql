with source as (
    select * from {{ source('registry', 'city_registry') }}
)

select
    city_geoid,
    trim(city_name) as city_name,
    upper(trim(state_abbr)) as state_abbr,
    state_fips,
    right(city_geoid, 5) as place_fips,
    list_transform(string_split(county_geoids, ';'), lambda c: lpad(trim(c), 5, '0')) as county_geoids,
    trim(pilot_topic) as pilot_topic,
    trim(pilot_name) as pilot_name
from source
