{{ stg_urban__place_metrics('urban_housing', has_subgroups=true) }}
