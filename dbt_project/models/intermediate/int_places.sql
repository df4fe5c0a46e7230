-- One row per Census place known to the warehouse (the tract crosswalks and the 75k+
-- population table), with the flags marts need: in the national reference set, a registry city.
with crosswalk_names as (
    select city_geoid, city_name, state_abbr
    from {{ ref('int_tract_city') }}
    qualify row_number() over (partition by city_geoid order by tract_vintage desc, tract_geoid) = 1
),

latest_population as (
    {{ latest_population() }}
),

state_abbrs as (
    select distinct state_fips, state_abbr
    from {{ ref('stg_geography__county_place_2022') }}
),

registry as (
    select city_geoid from {{ ref('stg_registry__cities') }}
)

select
    coalesce(crosswalk_names.city_geoid, latest_population.place_geoid) as city_geoid,
    coalesce(crosswalk_names.city_name, latest_population.place_name) as city_name,
    coalesce(crosswalk_names.state_abbr, state_abbrs.state_abbr) as state_abbr,
    latest_population.population,
    latest_population.year as population_year,
    latest_population.place_geoid is not null as is_reference_place,
    registry.city_geoid is not null as is_registry_city
from crosswalk_names
full outer join latest_population on latest_population.place_geoid = crosswalk_names.city_geoid
left join state_abbrs on state_abbrs.state_fips = left(latest_population.place_geoid, 2)
left join registry on registry.city_geoid = coalesce(crosswalk_names.city_geoid, latest_population.place_geoid)
