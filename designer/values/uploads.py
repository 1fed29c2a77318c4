"""Check an uploaded file: its size against ``max_size`` (``5MB``, ``2 Mo``...) and its kind,
recognised from its first bytes, against the question's ``accept`` list."""

from __future__ import annotations

import re
from collections.abc import Iterable

from designer.values.results import InvalidAnswer

_SIZE = re.compile(r"([0-9]+(?:[.,][0-9]+)?)\s*([kmgt]?)(?:b|o|bytes?|octets?)?", re.I)
_SIZE_FACTORS = {"": 1, "k": 1000, "m": 1000**2, "g": 1000**3, "t": 1000**4}


def parse_size(text: str) -> int:
    """Bytes in a size such as ``5MB``, ``500 KB``, ``2 Mo``, ``1.5MB`` or ``300`` (decimal
    units, as people and browsers count them: 1 MB = 1 000 000 bytes). Raises ``ValueError``
    on anything else."""
    if not isinstance(text, str) or len(text) > 50:
        raise ValueError(f"not a size: {text!r}")
    match = _SIZE.fullmatch(text.strip())
    if not match:
        raise ValueError(f"not a size: {text!r}; write for instance 5MB, 500 KB or 2 Mo")
    number, unit = match.groups()
    return int(float(number.replace(",", ".")) * _SIZE_FACTORS[unit.lower()])


def sniff_kind(head: bytes) -> str | None:
    """The kind of a file from its first bytes: ``pdf``, ``png``, ``jpeg``, ``gif``, ``webp``,
    or ``zip`` for the zip-based formats (docx, xlsx, odt, ods... cannot be told apart from
    a plain zip by the head alone); None when not recognised. Plain text is not guessed."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


# What each `accept` name of the format is recognised as by sniff_kind.
ACCEPT_KINDS = {
    "pdf": "pdf", "png": "png", "jpg": "jpeg", "jpeg": "jpeg", "gif": "gif", "webp": "webp",
    "zip": "zip", "docx": "zip", "xlsx": "zip", "pptx": "zip", "odt": "zip", "ods": "zip",
    "odp": "zip",
}


def check_file(
    head: bytes, size: int, *, accept: Iterable[str] | None = None, max_size: str | None = None
) -> InvalidAnswer | None:
    """Check an upload from its first bytes and its size in bytes against the question's
    ``accept`` list and ``max_size``. A kind in ``accept`` that cannot be recognised from the
    content (``txt``, ``csv``...) never lets a file through: the content decides, not the name."""
    if size <= 0:
        return InvalidAnswer("file-empty")
    if max_size is not None and size > parse_size(max_size):
        return InvalidAnswer("file-too-large", {"max_size": max_size})
    if accept is not None:
        names = [a.lower().lstrip(".") for a in accept]
        kinds = {ACCEPT_KINDS[a] for a in names if a in ACCEPT_KINDS}
        if sniff_kind(head) not in kinds:
            return InvalidAnswer("file-kind", {"accept": ", ".join(a.upper() for a in names)})
    return None
