"""What a file's bytes hold: its hash, whether it is text at all, and its text as UTF-8.

A file that breaks one of these rules raises `SourceFileError`, naming the file and the rule;
the file itself is never modified.
"""

import codecs
import hashlib
from pathlib import Path


class SourceFileError(ValueError):
    """A source file breaks a structural rule. The message names file, row/column and rule."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def files_sha256(paths: list[Path]) -> str:
    """The hash of the file, or of the files' hashes in order when a table is loaded from several."""
    if len(paths) == 1:
        return file_sha256(paths[0])
    return hashlib.sha256("".join(file_sha256(p) for p in paths).encode()).hexdigest()


ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def binary_kind(head: bytes) -> str | None:
    """What a file that should be text holds instead, judged from its first bytes; None for
    text (UTF-16 with a byte-order mark is text)."""
    if head.startswith(ZIP_MAGIC):
        return "a zip archive (an .xlsx workbook is one)"
    if head.startswith(OLE_MAGIC):
        return "an Excel 97-2003 workbook (.xls)"
    if head.startswith(UTF16_BOMS) or b"\x00" not in head:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if min(even, odd) == 0 and max(even, odd) >= len(head) // 4:  # every other byte of ASCII text is NUL
        return "UTF-16 text without a byte-order mark"
    return f"binary data (a NUL byte at byte {head.index(0):,})"


def check_text_file(path: Path, rule: str) -> None:
    """The file exists, is not empty and holds text: what no reader can be asked to judge well."""
    if not path.exists():
        raise SourceFileError(f"{path}: file not found (rule: {rule})")
    if path.stat().st_size == 0:
        raise SourceFileError(f"{path}: the file is empty, 0 bytes (rule: {rule})")
    with path.open("rb") as handle:
        kind = binary_kind(handle.read(1 << 16))
    if kind:
        raise SourceFileError(f"{path}: holds {kind}, not text (rule: {rule})")


LATIN1_FALLBACK = "mobility_latin1_fallback"


def _latin1_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    return error.object[error.start : error.end].decode("latin-1"), error.end


def utf8_readable(path: Path, scratch_dir: Path) -> Path:
    """The file itself when it is clean UTF-8, else a UTF-8 copy in `scratch_dir`.

    Some Census and Geocorr files are latin-1, and one mixes latin-1 and UTF-8 lines:
    each undecodable byte is read as latin-1, every valid UTF-8 sequence is kept. A file saved
    as UTF-16 (with its byte-order mark) is read as such.
    """
    data = path.read_bytes()
    if data.startswith(UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise SourceFileError(f"{path}: broken UTF-16 text at byte {error.start:,} (rule: UTF-8, latin-1 or "
                                  "UTF-16 text)") from error
    else:
        try:
            data.decode("utf-8")
            return path
        except UnicodeDecodeError:
            codecs.register_error(LATIN1_FALLBACK, _latin1_fallback)
            text = data.decode("utf-8", errors=LATIN1_FALLBACK)
    scratch_dir.mkdir(parents=True, exist_ok=True)
    copy = scratch_dir / f"{path.stem}.utf8{path.suffix}"
    copy.write_text(text, encoding="utf-8")
    return copy
