with source as (select * from {{ source('cradle_to_career', 'c2c_milestones') }}),

renamed as (
    select
        cast(milestone_order as integer) as milestone_order,
        stage,
        milestone,
        kind,
        milestone_name,
        official_source
    from source
)

select * from renamed
