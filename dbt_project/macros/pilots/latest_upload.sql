{# The latest accepted upload of each key: a later file corrects an earlier one, the later row of
   one file an earlier row. An aggregate, cheaper than a window here. #}
{% macro latest_upload(relation, keys, values) -%}
    {%- set fields = {} %}
    {%- for value in values %}{% do fields.update({value: value}) %}{% endfor %}
    select
        {{ keys | join(', ') }},
        {%- for value in values %}
        per_key.accepted.{{ value }} as {{ value }},
        {%- endfor %}
        pilot_version
    from (
        select
            {{ keys | join(', ') }},
            max_by({{ struct_pack(fields) }}, {{ row_tuple(['accepted_at', 'source_row']) }}) as accepted,
            min(pilot_version) as pilot_version
        from {{ relation }}
        group by {{ keys | join(', ') }}
    ) as per_key
{%- endmacro %}
