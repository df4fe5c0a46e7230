{{ stg_geography__tract_centers(2020) }}
