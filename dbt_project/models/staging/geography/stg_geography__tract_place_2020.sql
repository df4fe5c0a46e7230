{{ stg_geography__tract_place(2020) }}
