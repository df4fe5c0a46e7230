{{ stg_geography__tract_centers(2010) }}
