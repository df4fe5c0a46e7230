"""National-scale SYNTHETIC inputs in the sources' real formats, for `bench/generate` and
`bench/run --scale S`.

Scale 1 is the whole country: every 2010 tract of the bundled crosswalks in an official
Opportunity Insights wide tract file, Census Data API responses for every tract, and the
pilot uploads of 100 cities with 20,000 participants each. A scale S keeps a share S of the
tracts (whole counties, the pilot cities' first) and S of the pilot rows (sqrt(S) of the
cities, each with sqrt(S) of the participants), so that every part grows linearly.
Every value is drawn, seeded, around the real bundled data; every row is marked synthetic.
"""
