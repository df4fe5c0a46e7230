-- Cradle-to-career values published for a county or a Brookings jurisdiction, given to each
-- covered place through its principal county or its jurisdiction (int_c2c_places): one row
-- per place x source measure x year x subgroup, for the measures the catalogue lists. The
-- County Health Rankings and SEDA files add rows only when a city loads them. SEDA's 95%
-- bounds are its mean -/+ 1.96 standard errors.
with places as (
    select * from {{ ref('int_c2c_places') }}
),

catalogue as (
    select source, source_measure from {{ ref('stg_cradle_to_career__measures') }}
),

county_values as (
    select
        county_geoid,
        'chr_county_measures' as source,
        measure_id as source_measure,
        year,
        subgroup_type,
        subgroup,
        value,
        lb,
        ub,
        denominator as count_denominator
    from {{ ref('stg_county_health_rankings__county_measures') }}
    union all
    select
        county_geoid,
        'seda_county_scores' as source,
        subject_grade as source_measure,
        year,
        subgroup_type,
        subgroup,
        mean_grade_level as value,
        mean_grade_level - 1.96 * se as lb,
        mean_grade_level + 1.96 * se as ub,
        count_tests as count_denominator
    from {{ ref('stg_seda__county_scores') }}
),

young_adults as (
    select
        jurisdiction_code,
        jurisdiction_name,
        case jurisdiction_kind
            when 'a' then 'city'
            when 'b' then 'county without its large city'
            else 'county'
        end as geography,
        'c2c_young_adult_employment' as source,
        'pemployed' as source_measure,
        year,
        share_employed as value,
        count_sample as count_denominator
    from {{ ref('stg_cradle_to_career__young_adult_employment') }}
    where age_group = '18-24' and population_group = 'Universe population'
)

select
    places.place_geoid,
    county_values.source,
    county_values.source_measure,
    county_values.year,
    county_values.subgroup_type,
    county_values.subgroup,
    county_values.value,
    county_values.lb,
    county_values.ub,
    cast(null as integer) as quality,
    county_values.count_denominator,
    'county' as geography,
    places.county_name as geography_name
from county_values
inner join catalogue using (source, source_measure)
inner join places using (county_geoid)
union all
select
    places.place_geoid,
    young_adults.source,
    young_adults.source_measure,
    young_adults.year,
    'all' as subgroup_type,
    'All' as subgroup,
    young_adults.value,
    cast(null as double) as lb,
    cast(null as double) as ub,
    cast(null as integer) as quality,
    young_adults.count_denominator,
    young_adults.geography,
    young_adults.jurisdiction_name as geography_name
from young_adults
inner join places using (jurisdiction_code)
