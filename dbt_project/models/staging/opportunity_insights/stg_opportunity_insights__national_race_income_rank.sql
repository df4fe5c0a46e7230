with source as (select * from {{ source('opportunity_insights', 'oi_national_race_income_rank') }}),

renamed as (
    select
        cast(par_pctile as integer) as parent_pctile,
        lower(kid_race) as race,
        case gender when 'F' then 'female' when 'M' then 'male' else lower(gender) end as gender,
        cast(n_kir as bigint) as count_children,
        cast(kir as double) as kir
    from source
)

select * from renamed
