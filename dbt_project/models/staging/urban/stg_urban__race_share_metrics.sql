{{ stg_urban__place_metrics('urban_race_share_metrics', has_subgroups=true) }}
