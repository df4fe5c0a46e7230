-- Atlas outcomes per 2010 tract in one long shape, each with the weight a city or county
-- mean gives it: kid counts where the source publishes them, else the tract's 2010 population.

-- Outcomes published for the pooled subgroup at p25 only, one column per model: (model, column, unit, source).
{% set pooled_p25_columns = [
    ('stg_atlas__tract_household_income', 'household_income_at_35_p25', 'dollars', 'atlas_tract_household_income'),
    ('stg_atlas__tract_top20_share', 'share_top20_p25', 'share 0-1', 'atlas_tract_top20_share'),
] %}

with tract_populations as (
    select tract_geoid, population
    from {{ ref('stg_geography__tract_centers_2010') }}
),

pooled_p25_outcomes as (
{%- for model, column, unit, source in pooled_p25_columns %}
    select
        tract_geoid,
        '{{ column }}' as outcome,
        'pooled' as race,
        'pooled' as gender,
        25 as parent_pctile,
        {{ column }} as estimate,
        cast(null as double) as se,
        cast(null as double) as count_children,
        '{{ unit }}' as unit,
        '{{ source }}' as source
    from {{ ref(model) }}
    where {{ column }} is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
{%- endfor %}
),

income_rank_by_race as (
    select tract_geoid, 'pooled' as race, kir_pooled_p25 as estimate, kid_pooled_n as count_children
    from {{ ref('stg_opportunity_insights__tract_race_income_rank') }}
    union all
    select tract_geoid, 'white', kir_white_p25, kid_white_n
    from {{ ref('stg_opportunity_insights__tract_race_income_rank') }}
    union all
    select tract_geoid, 'black', kir_black_p25, kid_black_n
    from {{ ref('stg_opportunity_insights__tract_race_income_rank') }}
),

income_rank as (
    select
        tract_geoid,
        'income_rank_p25' as outcome,
        race,
        'pooled' as gender,
        25 as parent_pctile,
        estimate,
        cast(null as double) as se,
        cast(count_children as double) as count_children,
        'rank 0-100' as unit,
        'oi_tract_race_income_rank' as source
    from income_rank_by_race
    where estimate is not null
),

official_outcomes as (
    select
        {{ star_except(['source_file']) }},
        'as published' as unit,
        'atlas_tract_outcomes' as source
    from {{ ref('stg_atlas__tract_outcomes') }}
    where estimate is not null
),

all_outcomes as (
    select * from pooled_p25_outcomes
    union all select * from income_rank
    union all select * from official_outcomes
)

select
    all_outcomes.tract_geoid,
    all_outcomes.outcome,
    all_outcomes.race,
    all_outcomes.gender,
    all_outcomes.parent_pctile,
    all_outcomes.estimate,
    all_outcomes.se,
    all_outcomes.count_children,
    tract_populations.population,
    coalesce(all_outcomes.count_children, tract_populations.population) as weight,
    case when all_outcomes.count_children is not null then 'count_children' else 'tract_population_2010' end as weight_basis,
    -- The Atlas site export top-codes a few tract incomes at $1,062,314: published as is,
    -- kept out of city and county means.
    (all_outcomes.outcome = 'household_income_at_35_p25' and all_outcomes.estimate >= 1000000) as is_excluded_from_means,
    all_outcomes.unit,
    all_outcomes.source
from all_outcomes
left join tract_populations on tract_populations.tract_geoid = all_outcomes.tract_geoid
