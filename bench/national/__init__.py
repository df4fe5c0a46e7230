"""National-scale SYNTHETIC inputs in the sources' real formats, for `bench/generate` and
`bench/run --scale S`.

Scale 1 is the whole country: every 2010 tract of the bundled crosswalks in an official
Opportunity Insights wide tract file, Census Data API responses for every tract, and the
pilot uploads of 100 cities with 20,000 participants each. A scale S keeps a share S of the
tracts (whole counties, the pilot cities' first) and S of the pilot rows (sqrt(S) of the
cities, each with sqrt(S) of the participants), so that every part grows linearly.
Every value is drawn, seeded, around the real bundled data; every row is marked synthetic.
"""

import hashlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def fingerprint() -> str:
    """What generated inputs depend on: the generator's code and the bundled files it copies.
    Inputs made under another fingerprint are made again (an older contract or crosswalk would
    otherwise be measured as if it were today's)."""
    digest = hashlib.sha256()
    generator = [REPO / "bench" / "generate", *(REPO / "bench" / "national" / f"{module}.py"
                                                for module in ("__init__", "census", "geography", "pilots", "tracts"))]
    files = [*generator, *sorted(p for p in (REPO / "seeds").rglob("*") if p.is_file())]
    for path in files:
        digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
