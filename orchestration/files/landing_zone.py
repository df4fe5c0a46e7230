"""Where cities drop their pilot uploads, where accepted files are archived, and which files in
a landing folder wait to be taken in."""

from pathlib import Path

from orchestration import settings

# Names under which copy tools and browsers write a file that has not fully arrived yet.
IN_PROGRESS_SUFFIXES = (".part", ".partial", ".tmp", ".crdownload", ".download")


def landing_dir(city_geoid: str) -> Path:
    return settings.mobility_home() / "landing" / "pilots" / city_geoid


def archive_dir(city_geoid: str | None = None) -> Path:
    base = settings.mobility_home() / "archive" / "pilots"
    return base / city_geoid if city_geoid else base


def pending_uploads(city_geoid: str) -> list[Path]:
    """Every file in the landing folder, whatever its type (each gets a receipt or a report),
    but for hidden files, Office lock files and files still being copied."""
    folder = landing_dir(city_geoid)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))
                  and not p.name.lower().endswith(IN_PROGRESS_SUFFIXES))


def quarantined(city_geoid: str) -> list[Path]:
    """The files the intake refused, beside their reports."""
    folder = landing_dir(city_geoid) / "quarantine"
    return sorted(p for p in folder.glob("*") if not p.name.endswith(".report.json"))
