with source as (select * from {{ source('pilots', 'pilot_files') }})

select * from source
