with source as (select * from {{ source('cradle_to_career', 'c2c_disconnected_youth_puma') }}),

renamed as (
    select
        upper(state) as state_abbr,
        PUMA as puma,
        -- ACS 2021 1-year PUMS, per the file's provenance: the file itself names no year.
        2021 as year,
        cast(count as double) as count_disconnected_youth,
        cast(disconnected_per_pop as double) as rate_disconnected_youth,
        cast(disconnected_density as double) as density_disconnected_youth
    from source
)

select * from renamed
