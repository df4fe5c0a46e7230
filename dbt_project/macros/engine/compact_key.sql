{# The first 60 bits of a hex keyed hash, as a bigint: an 8-byte join key in place of a
   64-character string. At national scale the strings made the pilot models' joins and
   aggregates spill to disk. Two participants of one pilot share a compact key with probability
   about n^2 / 2^61 (2e-10 for 20,000); the test compact_key_is_distinct fails
   the build if they ever do. #}
{% macro compact_key(column) -%}
    {{ adapter.dispatch('compact_key', 'mobility')(column) }}
{%- endmacro %}

{% macro duckdb__compact_key(column) -%}
    cast('0x' || substr({{ column }}, 1, 15) as bigint)
{%- endmacro %}

{% macro default__compact_key(column) -%}
    cast(conv(substr({{ column }}, 1, 15), 16, 10) as bigint)
{%- endmacro %}
