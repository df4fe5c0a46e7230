-- The places the cradle-to-career marts cover: the national reference set (places of 75k+)
-- and the registry cities. County-level sources reach a place through its principal county,
-- the county holding most of its population; the Brookings young-adult figures through its
-- jurisdiction: the city itself where Brookings reports it (matched by name and state in
-- its principal county), else the principal county without its large city, else the county.
with places as (
    select city_geoid as place_geoid, city_name as place_name, state_abbr, is_reference_place, is_registry_city
    from {{ ref('int_places') }}
    where is_reference_place or is_registry_city
),

principal_counties as (
    select place_geoid, county_geoid, county_name
    from {{ ref('stg_geography__county_place_2022') }}
    where place_geoid is not null
    qualify row_number() over (partition by place_geoid order by share_of_place_in_county desc, county_geoid) = 1
),

jurisdictions as (
    select distinct county_geoid, jurisdiction_code, jurisdiction_kind, jurisdiction_name
    from {{ ref('stg_cradle_to_career__young_adult_employment') }}
    where age_group = '18-24' and population_group = 'Universe population'
),

located as (
    select places.*, principal_counties.county_geoid, principal_counties.county_name
    from places
    left join principal_counties using (place_geoid)
),

own_cities as (
    select located.place_geoid, jurisdictions.jurisdiction_code
    from located
    inner join jurisdictions
        on jurisdictions.county_geoid = located.county_geoid
        and jurisdictions.jurisdiction_kind = 'a'
        and split_part(jurisdictions.jurisdiction_name, ', ', 2) = located.state_abbr
        and (located.place_name = split_part(jurisdictions.jurisdiction_name, ', ', 1)
             or {{ starts_with('located.place_name', "split_part(jurisdictions.jurisdiction_name, ', ', 1) || ' '") }})
)

select
    located.*,
    coalesce(own_cities.jurisdiction_code, remainders.jurisdiction_code, counties.jurisdiction_code)
        as jurisdiction_code
from located
left join own_cities using (place_geoid)
left join jurisdictions as remainders
    on remainders.county_geoid = located.county_geoid and remainders.jurisdiction_kind = 'b'
left join jurisdictions as counties
    on counties.county_geoid = located.county_geoid and counties.jurisdiction_kind = 'c'
