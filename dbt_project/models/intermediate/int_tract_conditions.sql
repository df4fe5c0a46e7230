-- ACS neighbourhood conditions of every 2010 tract, one row per tract x ACS 5-year release.
-- Percentages become shares (0-1) like every other share in the warehouse. No margin of error
-- is published for any of them.
select
    tract_geoid,
    '2011-2015' as acs_vintage,
    share_poverty,
    cast(null as double) as share_unemployed,
    share_assisted_income,
    share_hs_degree,
    share_uninsured,
    share_vacant_housing,
    pctl_income_50,
    cast(null as double) as mean_income_per_capita,
    deprivation_index
from {{ ref('stg_tract_conditions__deprivation_2015acs') }}
union all
select
    release_2018.tract_geoid,
    '2014-2018' as acs_vintage,
    release_2018.share_poverty,
    economic_2018.pct_unemployed / 100 as share_unemployed,
    release_2018.share_assisted_income,
    release_2018.share_hs_degree,
    release_2018.share_uninsured,
    release_2018.share_vacant_housing,
    release_2018.pctl_income_50,
    economic_2018.mean_income_per_capita,
    release_2018.deprivation_index
from {{ ref('stg_tract_conditions__deprivation_2018acs') }} as release_2018
left join {{ ref('stg_tract_conditions__economic_2018acs') }} as economic_2018
    on economic_2018.tract_geoid = release_2018.tract_geoid
