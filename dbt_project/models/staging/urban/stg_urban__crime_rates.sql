{{ stg_urban__place_metrics('urban_crime_rates') }}
