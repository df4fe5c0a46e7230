select source, source_measure, measure, milestone, role, unit, description
from {{ source('cradle_to_career', 'c2c_measures') }}
