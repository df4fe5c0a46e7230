{{ stg_geography__tract_place(2010) }}
