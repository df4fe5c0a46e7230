{{ stg_urban__place_metrics('c2c_school_poverty', source_name='cradle_to_career') }}
