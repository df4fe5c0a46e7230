-- Atlas outcomes per county: the city aggregation rolled up from tracts to every county, plus
-- the official county estimates (household income rank and incarceration at p25 by race and
-- gender, with standard errors) published by Opportunity Insights.
{% set races = ['pooled', 'black', 'hisp', 'white'] %}
{% set genders = ['pooled', 'female', 'male'] %}
{% set official = [('kfr', 'household_income_rank_p25', 'rank 0-1'), ('jail', 'share_incarcerated_p25', 'share 0-1')] %}

with tract_rollups as (
    select
        {{ star_except_rename(ref('int_area_outcomes'), ['area_type'], {
            'area_geoid': 'county_geoid',
            'population_covered': 'population_weight',
            'count_tracts_area': 'count_tracts_county',
        }) }}
    from {{ ref('int_area_outcomes') }}
    where area_type = 'county'
),

official_long as (
{% for prefix, outcome, unit in official %}{% for race in races %}{% for gender in genders %}
    select
        county_geoid,
        '{{ outcome }}' as outcome,
        '{{ race }}' as race,
        '{{ gender }}' as gender,
        25 as parent_pctile,
        cast({{ prefix }}_{{ race }}_{{ gender }}_p25 as double) as estimate,
        cast({{ prefix }}_{{ race }}_{{ gender }}_p25_se as double) as se,
        {% if gender == 'pooled' or race != 'pooled' %}cast({{ race }}_{{ gender }}_count as double){% else %}cast(null as double){% endif %} as count_children,
        '{{ unit }}' as unit
    from {{ ref('stg_atlas__county_outcomes') }}
    {% if not loop.last %}union all{% endif %}
{% endfor %}{% if not loop.last %}union all{% endif %}{% endfor %}{% if not loop.last %}union all{% endif %}{% endfor %}
),

official_graded as (
    select
        *,
        case when se is not null and estimate <> 0 then se / abs(estimate) end as cv,
        estimate is null or coalesce(count_children, {{ var('min_children') }}) < {{ var('min_children') }} as suppressed
    from official_long
),

official as (
    select
        county_geoid,
        outcome,
        race,
        gender,
        parent_pctile,
        {{ published_estimate() }},
        count_children,
        cast(null as bigint) as population_weight,
        'as published' as weight_basis,
        cast(null as bigint) as count_tracts,
        cast(null as bigint) as count_tracts_county,
        cast(null as double) as coverage_share,
        case when not suppressed then cv end as cv,
        case when not suppressed then {{ quality_band('cv') }} end as quality,
        'cv' as quality_basis,
        suppressed,
        unit,
        'atlas_county_outcomes' as source
    from official_graded
),

all_rows as (
    select * from tract_rollups
    {{ union_all_by_name() }}
    select * from official
),

county_names as (
    -- Census population names first ("Wayne County"); Geocorr names, which end in the state
    -- abbreviation, for counties the population table lacks.
    select county_geoid, county_name
    from (
        select county_geoid, county_name, 1 as preference, year
        from {{ ref('stg_census__county_population') }}
        union all
        select county_geoid, regexp_replace(county_name, ' [A-Z]{2}$', ''), 2, 2018
        from {{ ref('stg_geography__county_place_2018') }}
    )
    qualify row_number() over (partition by county_geoid order by preference, year desc) = 1
),

state_abbrs as (
    select distinct state_fips, state_abbr from {{ ref('stg_geography__county_place_2022') }}
)

select
    all_rows.county_geoid,
    county_names.county_name,
    state_abbrs.state_abbr as state,
    {{ star_except(['county_geoid'], 'all_rows') }}
from all_rows
left join county_names on county_names.county_geoid = all_rows.county_geoid
left join state_abbrs on state_abbrs.state_fips = left(all_rows.county_geoid, 2)
