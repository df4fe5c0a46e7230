{# Model contracts declare DuckDB's type names; on Spark, whose `varchar` needs a length, their
   empty-schema query casts to Spark's names (varchar -> string, varchar[] -> array<string>). #}
{% macro spark__get_empty_schema_sql(columns) -%}
    {%- set spark_columns = {} -%}
    {%- for name, column in columns.items() -%}
        {%- set data_type = column['data_type'] | trim | lower -%}
        {%- if data_type == 'varchar' -%}
            {%- set data_type = 'string' -%}
        {%- elif data_type == 'varchar[]' -%}
            {%- set data_type = 'array<string>' -%}
        {%- endif -%}
        {%- do spark_columns.update({name: dict(column, data_type=data_type)}) -%}
    {%- endfor -%}
    {{ default__get_empty_schema_sql(spark_columns) }}
{%- endmacro %}
