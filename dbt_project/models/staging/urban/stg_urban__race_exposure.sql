{{ stg_urban__place_metrics('urban_race_exposure') }}
