with source as (select * from {{ source('seda', 'seda_county_scores') }}),

renamed as (
    select
        county_geoid,
        subject,
        grade,
        subject || '_g' || grade as subject_grade,
        year,
        {{ subgroup_of_code('subgroup') }},
        mean_grade_level,
        se,
        count_tests,
        source_file
    from source
)

select * from renamed
