-- Each large place's nearest places on its conditions: the Euclidean distance between places'
-- z-scores on every Upward Mobility Framework condition of the across-place model (each
-- condition counts alike, in standard deviations across the large places), the
-- var count_similar_places nearest other places, nearer first (ties by GEOID). Only places with
-- every condition take part. Similar conditions, not similar causes.
{% set columns = place_conditions() | map(attribute=0) | list %}

with places as (
    select * from {{ ref('int_place_conditions') }}
    where is_complete
),

distances as (
    select
        places.city_geoid,
        places.city_name,
        places.state_abbr,
        others.city_geoid as similar_geoid,
        others.city_name as similar_name,
        others.state_abbr as similar_state_abbr,
        others.observed as similar_observed,
        sqrt(
            {%- for column in columns %}
            {{ square('(places.' ~ column ~ '_z - others.' ~ column ~ '_z)') }}{% if not loop.last %} +{% endif %}
            {%- endfor %}
        ) as distance
    from places
    inner join places as others on others.city_geoid <> places.city_geoid
),

ranked as (
    select
        *,
        row_number() over (partition by city_geoid order by distance, similar_geoid) as similar_rank
    from distances
)

select
    city_geoid,
    city_name,
    state_abbr,
    cast(similar_rank as integer) as similar_rank,
    similar_geoid,
    similar_name,
    similar_state_abbr,
    distance,
    similar_observed
from ranked
where similar_rank <= {{ var('count_similar_places') }}
