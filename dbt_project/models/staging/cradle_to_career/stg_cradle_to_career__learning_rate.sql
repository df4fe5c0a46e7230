{{ stg_urban__place_metrics('c2c_learning_rate', has_subgroups=true, source_name='cradle_to_career') }}
