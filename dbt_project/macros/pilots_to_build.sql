{# The pilots (pilot_id, pilot_version) a pilot model builds: every registered pilot, or, when the
   model is built incrementally, only those whose version differs from the one it holds. Each
   pilot model joins its inputs to these, keeps `pilot_version`, and replaces a rebuilt pilot's
   rows whole (unique_key pilot_id, delete+insert: see dbt_project.yml). #}
{% macro pilots_to_build() -%}
    select versions.pilot_id, versions.pilot_version
    from {{ ref('int_pilot_versions') }} as versions
    {%- if is_incremental() %}
    left join (select distinct pilot_id, pilot_version from {{ this }}) as built
        on built.pilot_id = versions.pilot_id
    where built.pilot_version is distinct from versions.pilot_version
    {%- endif %}
{%- endmacro %}

{# A pilot input's rows of the pilots to build, each with its pilot's pilot_version. #}
{% macro pilot_rows_to_build(relation) -%}
    select input_rows.*, pilots.pilot_version
    from {{ relation }} as input_rows
    inner join ({{ pilots_to_build() }}) as pilots using (pilot_id)
{%- endmacro %}
