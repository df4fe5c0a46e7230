{# A 95% bound of a Pearson correlation from Fisher's z: tanh(atanh(r) -/+ 1.96 / sqrt(n - 3))
   (Fisher 1921), `side` -1 for the lower bound, +1 for the upper. |r| = 1 has no finite z: it is
   clamped so the interval collapses onto it. #}
{% macro fisher_z_bound(r, n, side) -%}
    tanh(atanh(least(greatest({{ r }}, -0.999999), 0.999999)) + ({{ side }}) * 1.96 / sqrt({{ n }} - 3))
{%- endmacro %}
