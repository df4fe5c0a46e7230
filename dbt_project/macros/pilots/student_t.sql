{# Student's t without a t distribution in SQL (neither engine has one): t with df degrees of
   freedom maps to a standard normal z by Bailey's transform z = sqrt((df - 0.5) ln(1 + t^2/df)),
   and P(|Z| > z) = erfc(z / sqrt 2) by Abramowitz-Stegun 7.1.26 (error < 1.5e-7). Against exact
   t: p-values within 5e-4 and critical values within 0.005 for df >= 10. #}

{# The two-sided 95% critical value of t with `df` degrees of freedom (the exact inverse of the
   transform at z = 1.959964; 1.959964 itself when df is null, the normal limit). #}
{% macro t_critical_95(df) -%}
    coalesce(sqrt(({{ df }}) * (exp(1.959963984540054 * 1.959963984540054 / (({{ df }}) - 0.5)) - 1)), 1.959963984540054)
{%- endmacro %}

{# The two-sided p-value of a t statistic with `df` degrees of freedom (normal when df is null). #}
{% macro two_sided_p(t, df) -%}
    {{ normal_upper_tail_twice("coalesce(sqrt((" ~ df ~ " - 0.5) * ln(1 + (" ~ t ~ ") * (" ~ t ~ ") / (" ~ df ~ "))), abs(" ~ t ~ "))") }}
{%- endmacro %}

{# P(|Z| > z) for z >= 0: erfc(z / sqrt 2) by Abramowitz-Stegun 7.1.26. #}
{% macro normal_upper_tail_twice(z) -%}
    (
        (1 / (1 + 0.3275911 * ({{ z }}) / sqrt(2))) * (0.254829592 + (1 / (1 + 0.3275911 * ({{ z }}) / sqrt(2))) * (-0.284496736
        + (1 / (1 + 0.3275911 * ({{ z }}) / sqrt(2))) * (1.421413741 + (1 / (1 + 0.3275911 * ({{ z }}) / sqrt(2))) * (-1.453152027
        + (1 / (1 + 0.3275911 * ({{ z }}) / sqrt(2))) * 1.061405429))))
        * exp(-({{ z }}) * ({{ z }}) / 2)
    )
{%- endmacro %}

{# The standard normal distribution function Phi(x), any sign of x. #}
{% macro normal_cdf(x) -%}
    case when ({{ x }}) >= 0 then 1 - {{ normal_upper_tail_twice(x) }} / 2
         else {{ normal_upper_tail_twice('-(' ~ x ~ ')') }} / 2 end
{%- endmacro %}
