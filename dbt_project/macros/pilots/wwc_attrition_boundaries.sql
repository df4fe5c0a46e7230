{# The What Works Clearinghouse attrition boundary, as data: for each whole percentage of overall
   attrition, the largest differential attrition (percentage points) that still counts as low
   attrition under the cautious and the optimistic assumption about how attrition relates to the
   outcome. WWC Procedures and Standards Handbook v5.0, attrition standard for randomized
   controlled trials, whose boundary is the one of Standards Handbook v4.1, Table II.1 ("Highest
   differential attrition rate for a sample to maintain low attrition, by overall attrition rate,
   under 'optimistic' and 'cautious' assumptions"). Cautious: 58% overall attrition or more is high
   attrition at any differential; optimistic: above 65%.
   A select for a CTE body: overall_attrition_pct, cautious_max_differential_pct,
   optimistic_max_differential_pct. #}
{% macro wwc_attrition_boundaries() -%}
    select
        cast(overall_attrition_pct as integer) as overall_attrition_pct,
        cast(cautious_max_differential_pct as double) as cautious_max_differential_pct,
        cast(optimistic_max_differential_pct as double) as optimistic_max_differential_pct
    from (values
        (0, 5.7, 10.0), (1, 5.8, 10.1), (2, 5.9, 10.2), (3, 5.9, 10.3), (4, 6.0, 10.4), (5, 6.1, 10.5),
        (6, 6.2, 10.7), (7, 6.3, 10.8), (8, 6.3, 10.9), (9, 6.3, 10.9), (10, 6.3, 10.9), (11, 6.2, 10.9),
        (12, 6.2, 10.9), (13, 6.1, 10.8), (14, 6.0, 10.8), (15, 5.9, 10.7), (16, 5.9, 10.6), (17, 5.8, 10.5),
        (18, 5.7, 10.3), (19, 5.5, 10.2), (20, 5.4, 10.0), (21, 5.3, 9.9), (22, 5.2, 9.7), (23, 5.1, 9.5),
        (24, 4.9, 9.4), (25, 4.8, 9.2), (26, 4.7, 9.0), (27, 4.5, 8.8), (28, 4.4, 8.6), (29, 4.3, 8.4),
        (30, 4.1, 8.2), (31, 4.0, 8.0), (32, 3.8, 7.8), (33, 3.6, 7.6), (34, 3.5, 7.4), (35, 3.3, 7.2),
        (36, 3.2, 7.0), (37, 3.1, 6.7), (38, 2.9, 6.5), (39, 2.8, 6.3), (40, 2.6, 6.0), (41, 2.5, 5.8),
        (42, 2.3, 5.6), (43, 2.1, 5.3), (44, 2.0, 5.1), (45, 1.8, 4.9), (46, 1.6, 4.6), (47, 1.5, 4.4),
        (48, 1.3, 4.2), (49, 1.2, 3.9), (50, 1.0, 3.7), (51, 0.9, 3.5), (52, 0.7, 3.2), (53, 0.6, 3.0),
        (54, 0.4, 2.8), (55, 0.3, 2.6), (56, 0.2, 2.3), (57, 0.0, 2.1), (58, null, 1.9), (59, null, 1.6),
        (60, null, 1.4), (61, null, 1.1), (62, null, 0.9), (63, null, 0.7), (64, null, 0.5), (65, null, 0.3)
    ) as boundary (overall_attrition_pct, cautious_max_differential_pct, optimistic_max_differential_pct)
{%- endmacro %}
