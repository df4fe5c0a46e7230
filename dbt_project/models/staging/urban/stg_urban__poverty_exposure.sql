{{ stg_urban__place_metrics('urban_poverty_exposure') }}
