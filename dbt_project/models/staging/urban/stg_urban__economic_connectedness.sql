{{ stg_urban__place_metrics('urban_economic_connectedness') }}
