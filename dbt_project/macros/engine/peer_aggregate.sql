{# A window aggregate (`median` or `count`) of `expression` over the row's peers: the other rows
   of its partition whose `size` lies within 1 / `ratio` to `ratio` times its own (a range of
   ln(size)). The row itself is left out, not its ties; `row_key` must tell the rows of a
   partition apart (Spark has no `exclude current row`). #}
{% macro peer_aggregate(aggregate, expression, partition, size, ratio, row_key) -%}
    {{ adapter.dispatch('peer_aggregate', 'mobility')(aggregate, expression, partition, size, ratio, row_key) }}
{%- endmacro %}

{% macro duckdb__peer_aggregate(aggregate, expression, partition, size, ratio, row_key) -%}
    {{ aggregate }}({{ expression }}) over (partition by {{ partition }} order by ln({{ size }}) range between ln({{ ratio }}) preceding and ln({{ ratio }}) following exclude current row)
{%- endmacro %}

{% macro spark__peer_aggregate(aggregate, expression, partition, size, ratio, row_key) -%}
    {#- Spark's frame bounds are literals: ln(ratio) by its series 2 * sum y^(2k+1) / (2k+1), y = (r-1)/(r+1). -#}
    {%- set y = (ratio - 1) / (ratio + 1) -%}
    {%- set terms = [] -%}
    {%- for k in range(200) -%}{%- do terms.append(2 * y ** (2 * k + 1) / (2 * k + 1)) -%}{%- endfor -%}
    {%- set half_width = terms | sum -%}
    {%- set peers -%}
        transform(filter(collect_list(named_struct('key', {{ row_key }}, 'value', {{ expression }})) over (
            partition by {{ partition }} order by ln({{ size }})
            range between {{ half_width }}D preceding and {{ half_width }}D following
        ), peer -> peer.key <> {{ row_key }} and peer.value is not null), peer -> peer.value)
    {%- endset -%}
    {%- if aggregate == 'count' -%}
        cast(size({{ peers }}) as bigint)
    {%- elif aggregate == 'median' -%}
        element_at(transform(array(array_sort({{ peers }})), v -> case
            when size(v) = 0 then null
            when size(v) % 2 = 1 then v[size(v) div 2]
            else (v[size(v) div 2 - 1] + v[size(v) div 2]) / 2
        end), 1)
    {%- else -%}
        {{ exceptions.raise_compiler_error('peer_aggregate: no ' ~ aggregate ~ ' on ' ~ target.type) }}
    {%- endif -%}
{%- endmacro %}
