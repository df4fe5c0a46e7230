{# The What Works Clearinghouse attrition boundary, as data: for each whole percentage of overall
   attrition, the largest differential attrition (percentage points) that still counts as low
   attrition under the cautious and the optimistic assumption about how attrition relates to the
   outcome. WWC Procedures and Standards Handbook v5.0, attrition standard for randomized
   controlled trials (the boundary table, carried over from Standards Handbook v4.1, Table II.1).
   Overall attrition above the last row with a value is high attrition under that assumption.
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
        (12, 6.2, 10.9), (13, 6.1, 10.9), (14, 6.0, 10.9), (15, 5.9, 10.8), (16, 5.8, 10.8), (17, 5.7, 10.7),
        (18, 5.5, 10.6), (19, 5.4, 10.5), (20, 5.3, 10.4), (21, 5.1, 10.3), (22, 5.0, 10.2), (23, 4.8, 10.1),
        (24, 4.7, 9.9), (25, 4.5, 9.8), (26, 4.4, 9.6), (27, 4.2, 9.5), (28, 4.0, 9.3), (29, 3.9, 9.2),
        (30, 3.7, 9.0), (31, 3.5, 8.9), (32, 3.4, 8.7), (33, 3.2, 8.5), (34, 3.0, 8.3), (35, 2.9, 8.2),
        (36, 2.7, 8.0), (37, 2.5, 7.8), (38, 2.3, 7.6), (39, 2.2, 7.5), (40, 2.0, 7.3), (41, 1.8, 7.1),
        (42, 1.6, 6.9), (43, 1.5, 6.7), (44, 1.3, 6.5), (45, 1.1, 6.3), (46, 1.0, 6.1), (47, 0.8, 5.9),
        (48, 0.6, 5.7), (49, 0.5, 5.5), (50, 0.3, 5.3), (51, 0.2, 5.1), (52, 0.0, 4.9), (53, null, 4.7),
        (54, null, 4.5), (55, null, 4.3), (56, null, 4.1), (57, null, 3.9), (58, null, 3.7), (59, null, 3.5),
        (60, null, 3.3), (61, null, 3.1), (62, null, 2.8), (63, null, 2.6), (64, null, 2.4), (65, null, 2.2)
    ) as boundary (overall_attrition_pct, cautious_max_differential_pct, optimistic_max_differential_pct)
{%- endmacro %}
