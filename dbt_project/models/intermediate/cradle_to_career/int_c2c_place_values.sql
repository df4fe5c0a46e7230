-- Cradle-to-career values published per place, in one long shape: place x source measure x
-- year x subgroup with value, 95% bounds and quality as published, missing values kept as
-- missing rows. Disconnected youth are published per 2010 PUMA: a PUMA's count and its
-- residents aged 16-24 (count / rate) go to the place in proportion to `afact`, Geocorr's
-- share of the PUMA's population living in the place, and the place's rate is the allocated
-- count per 1,000 allocated residents; its quality is Urban's allocation quality of the place.
-- `afact2` is not used: in this crosswalk it does not sum to 1 within many places (New
-- Orleans: about 0.04 for each of its three PUMAs, each of which lies wholly in the city).
{% set urban_files = [
    ('stg_cradle_to_career__preschool_race', 'c2c_preschool_race', 'share_in_preschool'),
    ('stg_cradle_to_career__college_race', 'c2c_college_race', 'share_hs_degree'),
    ('stg_cradle_to_career__employment_race', 'c2c_employment_race', 'share_employed'),
    ('stg_cradle_to_career__learning_rate', 'c2c_learning_rate', 'learning_rate'),
] %}
{% set school_poverty_groups = [('black', 'Black, Non-Hispanic'), ('hispanic', 'Hispanic'), ('white', 'White, Non-Hispanic')] %}

with urban_values as (
{% for model, source, column in urban_files %}
    select
        place_geoid,
        '{{ source }}' as source,
        '{{ column }}' as source_measure,
        year,
        subgroup_type,
        subgroup,
        {{ column }} as value,
        {{ column }}_lb as lb,
        {{ column }}_ub as ub,
        cast({{ column }}_quality as integer) as quality
    from {{ ref(model) }}
    {% if not loop.last %}union all{% endif %}
{% endfor %}
),

school_poverty as (
{% for code, label in school_poverty_groups %}
    select
        place_geoid,
        'c2c_school_poverty' as source,
        'share_meps20' as source_measure,
        year,
        'race-ethnicity' as subgroup_type,
        '{{ label }}' as subgroup,
        share_meps20_{{ code }} as value,
        cast(null as double) as lb,
        cast(null as double) as ub,
        cast(share_meps20_{{ code }}_quality as integer) as quality
    from {{ ref('stg_cradle_to_career__school_poverty') }}
    {% if not loop.last %}union all{% endif %}
{% endfor %}
),

states as (
    select distinct state_fips, state_abbr from {{ ref('stg_geography__county_place_2022') }}
),

pumas as (
    select
        states.state_fips,
        youth.puma,
        youth.year,
        youth.count_disconnected_youth,
        1000 * youth.count_disconnected_youth / youth.rate_disconnected_youth as count_youth
    from {{ ref('stg_cradle_to_career__disconnected_youth_puma') }} as youth
    inner join states using (state_abbr)
),

disconnected_youth as (
    select
        crosswalk.place_geoid,
        'c2c_disconnected_youth_puma' as source,
        'disconnected_per_pop' as source_measure,
        pumas.year,
        'all' as subgroup_type,
        'All' as subgroup,
        1000 * sum(pumas.count_disconnected_youth * crosswalk.share_of_puma_in_place)
            / sum(pumas.count_youth * crosswalk.share_of_puma_in_place) as value,
        cast(null as double) as lb,
        cast(null as double) as ub,
        max(crosswalk.quality) as quality,
        sum(pumas.count_youth * crosswalk.share_of_puma_in_place) as count_denominator
    from {{ ref('stg_cradle_to_career__puma_place') }} as crosswalk
    inner join pumas on pumas.state_fips = crosswalk.state_fips and pumas.puma = crosswalk.puma
    group by crosswalk.place_geoid, pumas.year
)

select *, cast(null as double) as count_denominator, 'place' as geography, cast(null as {{ string_type() }}) as geography_name
from urban_values
union all
select *, cast(null as double) as count_denominator, 'place' as geography, cast(null as {{ string_type() }}) as geography_name
from school_poverty
union all
select *, 'place from 2010 PUMAs' as geography, cast(null as {{ string_type() }}) as geography_name
from disconnected_youth
