-- Every county with its official Atlas estimate (household income rank at p25, with its
-- published standard error), its economic connectedness (Social Capital Atlas) and its ACS
-- 2014-2018 conditions (means of its tracts weighted by their 2010 population), one row per
-- county, with z-scores across the complete counties (those with all of them and a positive se).
{% set tract_columns = ['share_poverty', 'share_unemployed', 'share_assisted_income', 'share_hs_degree', 'share_uninsured', 'share_vacant_housing'] %}
{% set conditions = county_conditions() | map(attribute=0) | list %}

with county_tracts as (
    select
        left(conditions.tract_geoid, 5) as county_geoid,
        {%- for column in tract_columns %}
        sum({{ column }} * centers.population) / nullif(sum(case when {{ column }} is not null then centers.population end), 0) as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('int_tract_conditions') }} as conditions
    inner join {{ ref('stg_geography__tract_centers_2010') }} as centers on centers.tract_geoid = conditions.tract_geoid
    where conditions.acs_vintage = '2014-2018'
    group by left(conditions.tract_geoid, 5)
),

counties as (
    select
        outcomes.county_geoid,
        outcomes.kfr_pooled_pooled_p25 as observed,
        outcomes.kfr_pooled_pooled_p25_se as observed_se,
        social_capital.ec_county as share_economic_connectedness,
        {%- for column in tract_columns %}
        county_tracts.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('stg_atlas__county_outcomes') }} as outcomes
    left join {{ ref('stg_atlas__social_capital_county') }} as social_capital
        on social_capital.county_geoid = outcomes.county_geoid
    left join county_tracts on county_tracts.county_geoid = outcomes.county_geoid
),

flagged as (
    select
        *,
        -- Weighted least squares weight: the inverse of the published sampling variance.
        case when observed_se > 0 then 1 / ({{ square('observed_se') }}) end as weight,
        observed is not null and observed_se > 0 and {{ all_not_null(conditions) }} as is_complete
    from counties
)

select
    *,
    {{ complete_case_zscores(['observed'] + conditions) }}
from flagged
