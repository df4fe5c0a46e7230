{{ stg_tract_conditions__deprivation(2018) }}
