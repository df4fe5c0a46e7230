{# The 97.5th percentile of Student's t with `df` degrees of freedom, for 95% intervals: exact
   (to 4 decimals) from the standard table for 1-30 degrees of freedom, beyond that the
   Cornish-Fisher expansion around the normal quantile 1.959964 (Abramowitz & Stegun 26.7.5),
   within 1e-6 of the exact value there. Null for df < 1. #}
{% macro t_quantile_975(df) -%}
    {%- set table = [12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
                     2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
                     2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423] -%}
    {%- set z = 1.959964 -%}
    (case
        when {{ df }} < 1 then null
        {%- for value in table %}
        when {{ df }} < {{ loop.index + 1 }} then {{ value }}
        {%- endfor %}
        else {{ z }}
            + {{ (z ** 3 + z) / 4 }} / ({{ df }})
            + {{ (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96 }} / power({{ df }}, 2)
            + {{ (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384 }} / power({{ df }}, 3)
            + {{ (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160 }} / power({{ df }}, 4)
    end)
{%- endmacro %}
