{# A bound of a 95% interval kept within 0-1 where the metric is a share (its name starts with
   `share`) and its estimate lies within 0-1, as the Urban Institute clamps its own share
   intervals: the normal interval around a share near 0 or 1 would otherwise leave the scale.
   An estimate published outside 0-1 keeps its interval, so the interval still holds it; other
   metrics' bounds pass unchanged. #}
{% macro share_bound(bound, estimate, metric) -%}
    {%- set clamped = metric ~ " like 'share%' and " ~ estimate ~ " between 0 and 1" -%}
    case
        when {{ clamped }} and {{ bound }} < 0 then {{ double_literal('0.0') }}
        when {{ clamped }} and {{ bound }} > 1 then {{ double_literal('1.0') }}
        else {{ bound }}
    end
{%- endmacro %}
