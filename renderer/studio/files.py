"""The journey files of the studio's folder: their state, and saving them safely.

Saving is atomic (a temporary file in the same folder, then ``os.replace``: a reader sees
the old file or the new one, never half of it) and refuses to overwrite a change made on
disk since the editor opened the file: the form carries the SHA-256 of the text it was
opened with, and the save compares it with the file's current content.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from pathlib import Path

from designer.check import journey_files
from designer.files import is_cases_file
from designer.findings import Severity
from designer.loading import Loaded
from designer.publication import digest, status, write_atomically
from renderer.studio.diagnostics import checked_file


@dataclass
class JourneyState:
    """One journey file as the list shows it."""

    path: str  # relative to the studio's folder, with forward slashes
    title: str | None
    errors: int
    warnings: int
    infos: int
    changed: datetime.datetime
    has_cases: bool
    #: Its place in the publication workflow (None: the folder does not use it).
    publication: str | None = None


@dataclass
class _Cached:
    stamp: tuple[int, int]
    state: JourneyState
    loaded: Loaded


@dataclass
class Folder:
    """The studio's folder, with the checked state of each journey kept until it changes."""

    root: Path
    _cache: dict[Path, _Cached] = field(default_factory=dict)

    def journeys(self) -> list[JourneyState]:
        """Every journey under the folder (not its cases files), with its state."""
        base = self.root.resolve()
        out: list[JourneyState] = []
        for file in journey_files([self.root]):
            real = file.resolve()
            if not real.is_relative_to(base) or is_cases_file(file):
                continue  # a symlink that leads out of the folder is not listed
            # Read afresh: publishing changes the state, not the journey file.
            p = status(file)
            out.append(replace(self.state(file),
                               publication=p.status.value if p.workflow else None))
        return out

    def state(self, file: Path) -> JourneyState:
        """The checked state of one journey file (re-checked only when it changed)."""
        st = file.stat()
        stamp = (st.st_mtime_ns, st.st_size)
        cached = self._cache.get(file)
        if cached is not None and cached.stamp == stamp:
            return cached.state
        loaded = checked_file(file)
        counts = {s: sum(f.severity is s for f in loaded.findings) for s in Severity}
        title = None
        if loaded.journey is not None:
            title = loaded.journey.text(loaded.journey.model.title, "fr")
        state = JourneyState(
            path=file.relative_to(self.root).as_posix(),
            title=title,
            errors=counts[Severity.ERROR],
            warnings=counts[Severity.WARNING],
            infos=counts[Severity.INFO],
            changed=datetime.datetime.fromtimestamp(st.st_mtime).replace(microsecond=0),
            has_cases=(file.with_name(file.name.rsplit(".", 1)[0] + ".cases.yaml")).exists(),
        )
        self._cache[file] = _Cached(stamp, state, loaded)
        return state

    def loaded(self, file: Path) -> Loaded:
        """The file as saved, checked (kept until it changes)."""
        self.state(file)
        return self._cache[file].loaded


class ChangedOnDisk(Exception):
    """The file changed on disk since the editor opened it."""


def save(path: Path, text: str, base: str) -> str:
    """Write ``text`` to ``path`` atomically if the file is still the version ``base``;
    the new version stamp. :class:`ChangedOnDisk` when it is not."""
    try:
        current = path.read_bytes()
    except FileNotFoundError:
        current = b""
    if digest(current) != base:
        raise ChangedOnDisk(str(path))
    # Browsers send CRLF line ends from a textarea: keep the file's own convention (LF).
    data = text.replace("\r\n", "\n").encode("utf-8")
    write_atomically(path, data)
    return digest(data)
