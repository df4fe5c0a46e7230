with source as (
    select * from {{ source('pilots', 'pilot_programs') }}
)

select
    trim(pilot_id) as pilot_id,
    city_geoid,
    trim(pilot_name) as pilot_name,
    trim(topic) as topic,
    trim(design) as design,
    cast(start_date as date) as start_date,
    cast(end_date as date) as end_date,
    trim(main_outcome) as main_outcome,
    cast(registered_on as date) as registered_on,
    trim(attrition_boundary) as attrition_boundary
from source
