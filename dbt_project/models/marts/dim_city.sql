with cities as (
    select * from {{ ref('stg_registry__cities') }}
),

latest_population as (
    {{ latest_population() }}
),

tracts_2010 as (
    select place_geoid, count(*) as count_tracts
    from {{ ref('stg_geography__tract_place_2010') }}
    group by place_geoid
),

tracts_2020 as (
    select place_geoid, count(*) as count_tracts
    from {{ ref('stg_geography__tract_place_2020') }}
    group by place_geoid
)

select
    cities.city_geoid,
    cities.city_name,
    cities.state_abbr,
    cities.state_fips,
    cities.place_fips,
    cities.county_geoids,
    cities.pilot_topic,
    cities.pilot_name,
    latest_population.population,
    latest_population.year as population_year,
    coalesce(tracts_2010.count_tracts, 0) as count_tracts_2010,
    coalesce(tracts_2020.count_tracts, 0) as count_tracts_2020
from cities
left join latest_population on latest_population.place_geoid = cities.city_geoid
left join tracts_2010 on tracts_2010.place_geoid = cities.city_geoid
left join tracts_2020 on tracts_2020.place_geoid = cities.city_geoid
