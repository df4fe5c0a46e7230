"""Every relative link in the README and docs/ points at a file that exists, and every
`#anchor` at a heading of the file it names (GitHub's heading ids)."""

import re
from pathlib import Path

import pytest

from orchestration import settings

ROOT = settings.REPO_ROOT
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def prose_lines(text: str) -> list[str]:
    """The lines outside fenced code blocks, inline code removed."""
    lines, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(re.sub(r"`[^`]*`", lambda m: m.group(0).replace("](", "]_("), line))
    return lines


def heading_id(title: str, seen: dict[str, int]) -> str:
    """GitHub's id of a heading: lower case, markup and punctuation dropped, spaces to hyphens,
    `-1`, `-2` ... after repeats."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title).replace("`", "")
    slug = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
    count = seen.get(slug, 0)
    seen[slug] = count + 1
    return slug if count == 0 else f"{slug}-{count}"


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    return {heading_id(m.group(2), seen) for line in prose_lines(page.read_text()) if (m := HEADING.match(line))}


def relative_links(page: Path) -> list[str]:
    return [target for line in prose_lines(page.read_text()) for target in LINK.findall(line)
            if not re.match(r"^[a-z][a-z0-9+.-]*:", target)]


def test_the_heading_ids_are_githubs():
    seen: dict[str, int] = {}
    assert heading_id("Data quality: checks and the analysts' file", seen) == "data-quality-checks-and-the-analysts-file"
    assert heading_id("The `mobility` command", seen) == "the-mobility-command"
    assert heading_id("Set-up: two commands", seen) == "set-up-two-commands"
    assert heading_id("Set-up: two commands", seen) == "set-up-two-commands-1"


def test_a_broken_link_is_found(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Title\n\n[ok](#title) [gone](missing.md) `[code](not-a-link.md)`\n```\n[x](fenced.md)\n```\n")
    assert relative_links(page) == ["#title", "missing.md"]
    assert anchors(page) == {"title"}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page):
    broken = []
    for target in relative_links(page):
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            broken.append(f"{target}: no file {linked.relative_to(ROOT) if linked.is_relative_to(ROOT) else linked}")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target}: no heading #{anchor} in {linked.relative_to(ROOT)}")
    assert not broken, f"{page.relative_to(ROOT)} has broken links:\n" + "\n".join(broken)
