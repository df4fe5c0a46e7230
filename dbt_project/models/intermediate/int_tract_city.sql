-- Every tract of both vintages assigned to the Census place containing its population
-- centroid. Tracts outside every place are left out: they belong to no city.
with tract_places as (
    select tract_geoid, 2010 as tract_vintage, place_geoid, place_name, place_type, state_abbr, county_geoid, county_name
    from {{ ref('stg_geography__tract_place_2010') }}
    where place_geoid is not null
    union all
    select tract_geoid, 2020 as tract_vintage, place_geoid, place_name, place_type, state_abbr, county_geoid, county_name
    from {{ ref('stg_geography__tract_place_2020') }}
    where place_geoid is not null
),

tract_centers as (
    select tract_geoid, 2010 as tract_vintage, population, latitude, longitude
    from {{ ref('stg_geography__tract_centers_2010') }}
    union all
    select tract_geoid, 2020 as tract_vintage, population, latitude, longitude
    from {{ ref('stg_geography__tract_centers_2020') }}
)

select
    tract_places.tract_geoid,
    tract_places.tract_vintage,
    tract_places.place_geoid as city_geoid,
    tract_places.place_name as city_name,
    tract_places.place_type,
    tract_places.state_abbr,
    tract_places.county_geoid,
    tract_places.county_name,
    tract_centers.population,
    tract_centers.latitude,
    tract_centers.longitude
from tract_places
left join tract_centers
    on tract_centers.tract_geoid = tract_places.tract_geoid
    and tract_centers.tract_vintage = tract_places.tract_vintage
