"""What a file's name says it holds, in a folder of journeys.

Kept apart from the modules that read those files (designer.organisation, designer.cases):
`parcours check` on a folder asks of every file what it is, and importing the organisation
file's models or the test cases' runner to answer would cost every check
(docs/benchmarks.md, "Issue 12, section 3, third round").
"""

from __future__ import annotations

from pathlib import Path

#: The name of the organisation file, in the folder of the journeys it serves.
ORGANISATION_FILE = "organisation.yaml"


def is_organisation_file(path: str | Path) -> bool:
    """Whether a path names an organisation file (not a journey)."""
    return Path(path).name == ORGANISATION_FILE


#: A cases file is named after its journey: ``x.yaml`` → ``x.cases.yaml``.
CASES_SUFFIX = ".cases.yaml"


def is_cases_file(path: str | Path) -> bool:
    """Whether a file holds journey test cases rather than a journey."""
    return Path(path).name.endswith((CASES_SUFFIX, ".cases.yml"))
