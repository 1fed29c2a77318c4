"""The concept catalogue ("Dites-le-nous une fois"): what a piece of data is, and who can supply it.

A journey's question may name a ``concept`` (``identite.nom``, ``caf.quotient_familial``...).
The catalogue says, for each concept, its labels in French and English, the labels questions
typically use to ask for it (to spot the same thing asked twice), the question type that
fits it, and the **providers** that can supply it without asking the citizen (FranceConnect,
API Particulier, API Entreprise), each with the public documentation it is taken from.
A concept may also name **helpers**: services that help the citizen type the answer
(the Base Adresse Nationale's autocomplete) without supplying it.

The catalogue is data: ``designer/data/concepts.yaml`` is shipped; an organisation adds its
own files in the same format (:func:`load_catalogue`), to add providers and concepts or to
extend one (more providers, more typical labels), without touching code. A file that
contradicts another one is refused with a message naming the file and the key.

This module does not depend on the journey format's models: :func:`catalogue_schema` gives
the JSON Schema of catalogue files, committed as ``schemas/concepts.schema.json``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
)

from designer.labels import normalise_label

SHIPPED = Path(__file__).parent / "data" / "concepts.yaml"
SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schemas" / "concepts.schema.json"
SCHEMA_ID = "https://parcours.example/schemas/concepts.schema.json"
FORMAT_VERSION = 1

PROVIDER_ID = r"^[a-z][a-z0-9-]*$"
CONCEPT_ID = r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$"
ProviderId = Annotated[str, StringConstraints(pattern=PROVIDER_ID)]
ConceptId = Annotated[str, StringConstraints(pattern=CONCEPT_ID)]

# The answer types of the journey format (repeat and info are not values).
ConceptType = Literal[
    "text", "textarea", "integer", "decimal", "yesno", "choice", "multichoice", "date",
    "email", "phone", "postcode", "address", "siret", "nir", "iban", "file",
]


#: Whose data (the journey format's `about`): the person filling in, or the one concerned.
About = Literal["applicant", "person_concerned"]


class CatalogueError(ValueError):
    """A catalogue file that cannot be loaded: the message names the file and the key."""


class Bilingual(BaseModel):
    """A text in French and English."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fr: str = Field(min_length=1)
    en: str = Field(min_length=1)


class ProviderEntry(BaseModel):
    """A provider as written in a catalogue file (its id is the key)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Bilingual = Field(description="Name shown to designers and in reports.")
    description: str = Field(min_length=1, description="What it is and how it is used.")
    kind: Literal["source", "helper"] = Field(
        default="source",
        description="`source`: supplies data without asking the citizen; `helper`: helps "
        "the citizen enter it (autocomplete, normalisation).",
    )
    source_url: Annotated[str, StringConstraints(pattern=r"^https://\S+$")] = Field(
        description="Official documentation page the provider's data is taken from."
    )
    source: str = Field(min_length=1, description="Citation: which page says what.")
    about: list[About] = Field(
        default_factory=lambda: list[About](["applicant"]),
        description="Whose data it supplies: `applicant`, the person filling in the form "
        "(who logs in, or whose identity is sent); `person_concerned`, the person the "
        "procedure is for when someone else fills it in (a child, a protected adult). "
        "FranceConnect knows only the person who logs in; a register queried by a number "
        "the form asks for (a SIRET) answers for anyone.",
    )


class Provider(ProviderEntry):
    """A provider of data (or a helper), with its id."""

    id: ProviderId


class ConceptEntry(BaseModel):
    """A concept as written in a catalogue file (its id is the key).

    ``label`` and ``question_type`` are required for a new concept; an organisation file
    that *extends* a concept of another file may give only the lists it adds to."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: Bilingual | None = Field(default=None, description="What the data is.")
    description: str | None = Field(default=None, description="Notes for designers.")
    typical_labels: list[str] = Field(
        default_factory=list,
        description="Question labels, French and English, that usually ask for it.",
    )
    question_type: ConceptType | None = Field(
        default=None, description="The journey question type that fits the data."
    )
    providers: list[ProviderId] = Field(
        default_factory=list, description="Providers that can supply it (kind `source`)."
    )
    helpers: list[ProviderId] = Field(
        default_factory=list, description="Services that help the citizen enter it."
    )
    provided_as: dict[ProviderId, str] = Field(
        default_factory=dict,
        description="For each provider, the documented field or endpoint that holds it.",
    )


class Concept(BaseModel):
    """A kind of data a journey may ask for, and who can supply it."""

    model_config = ConfigDict(frozen=True)

    id: ConceptId
    label: Bilingual
    description: str | None = None
    typical_labels: list[str] = Field(default_factory=list)
    question_type: ConceptType
    providers: list[ProviderId] = Field(default_factory=list)
    helpers: list[ProviderId] = Field(default_factory=list)
    provided_as: dict[ProviderId, str] = Field(default_factory=dict)


class CatalogueFile(BaseModel):
    """One catalogue file: the shipped one or an organisation's."""

    model_config = ConfigDict(
        extra="forbid",
        title="Parcours concept catalogue",
        json_schema_extra={
            "description": "Concepts that journey questions name, and the providers that can "
            "supply them (\"Dites-le-nous une fois\")."
        },
    )

    version: Literal[1] = Field(description="Catalogue format version.")
    providers: dict[ProviderId, ProviderEntry] = Field(default_factory=dict)
    concepts: dict[ConceptId, ConceptEntry] = Field(default_factory=dict)


class Catalogue(BaseModel):
    """Every provider and concept known, after merging the shipped file and organisation
    files."""

    model_config = ConfigDict(frozen=True)

    version: int
    providers: dict[str, Provider]
    concepts: dict[str, Concept]
    files: list[str] = Field(default_factory=list, description="Files merged, in order.")
    _labels: dict[str, str] | None = PrivateAttr(default=None)

    def __contains__(self, concept_id: object) -> bool:
        return concept_id in self.concepts

    def get(self, concept_id: str) -> Concept | None:
        """The concept ``concept_id``, or None when the catalogue does not define it."""
        return self.concepts.get(concept_id)

    def providers_for(
        self, concept_id: str, among: Iterable[str] | None = None, about: str | None = None
    ) -> list[Provider]:
        """The providers that can supply ``concept_id`` (restricted to the ids ``among``, for
        instance the providers a journey is connected to, and to those that supply the data
        of ``about``: `applicant` or `person_concerned`). Raises ``KeyError`` for a concept
        the catalogue does not define."""
        concept = self.concepts.get(concept_id)
        if concept is None:
            raise KeyError(f"unknown concept {concept_id!r}")
        wanted = None if among is None else set(among)
        return [
            self.providers[p] for p in concept.providers
            if (wanted is None or p in wanted)
            and (about is None or about in self.providers[p].about)
        ]

    def helpers_for(self, concept_id: str) -> list[Provider]:
        """The services that help the citizen enter ``concept_id`` (autocomplete...)."""
        concept = self.concepts.get(concept_id)
        if concept is None:
            raise KeyError(f"unknown concept {concept_id!r}")
        return [self.providers[p] for p in concept.helpers]

    def find_by_label(self, label: str) -> Concept | None:
        """The concept a question label asks for, from the concepts' labels and typical
        labels (compared with :func:`normalise_label`); None when none matches."""
        key = normalise_label(label)
        if not key:
            return None
        if self._labels is None:  # the catalogue is frozen: index it once
            self._labels = _label_index(self.concepts)
        concept_id = self._labels.get(key)
        return self.concepts[concept_id] if concept_id else None


def _label_index(
    concepts: dict[str, Concept],
    origin: dict[str, Path] | None = None,
    paths: list[Path] | None = None,
) -> dict[str, str]:
    """Normalised label -> concept id. While loading (``origin`` and ``paths`` given), a label
    shared by two concepts is an error, blamed on the file that added it last: lookups by
    label would be ambiguous."""
    index: dict[str, tuple[str, str]] = {}
    for concept in concepts.values():
        for label in (concept.label.fr, concept.label.en, *concept.typical_labels):
            key = normalise_label(label)
            if not key:
                continue
            other = index.setdefault(key, (concept.id, label))
            if other[0] == concept.id or origin is None or paths is None:
                continue
            here = _label_origin(origin, concept.id, label)
            there = _label_origin(origin, *other)
            (cid, clabel, where), (oid, _, owhere) = sorted(
                [(concept.id, label, here), (other[0], other[1], there)],
                key=lambda item: paths.index(item[2]) if item[2] in paths else -1,
                reverse=True,
            )
            raise CatalogueError(
                f"{where}: concepts.{cid}: the label {clabel!r} is also a label of {oid} "
                f"({owhere}); a label must name one concept"
            )
    return {key: value[0] for key, value in index.items()}


def _label_origin(origin: dict[str, Path], concept_id: str, label: str) -> Path | None:
    key = f"concepts.{concept_id}"
    return origin.get(f"{key}.typical_labels.{label}", origin.get(key))


# --- loading -----------------------------------------------------------------------------


class _UniqueKeyLoader(yaml.CSafeLoader):  # libyaml: the catalogue loads on every check
    """PyYAML keeps the last of two equal keys; in a catalogue that hides a mistake."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        if key in mapping:
            raise CatalogueError(
                f"line {key_node.start_mark.line + 1}: the key {key!r} is defined twice"
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def _read_file(path: Path) -> CatalogueFile:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogueError(f"{path}: cannot be read ({error})") from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except CatalogueError as error:
        raise CatalogueError(f"{path}: {error}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise CatalogueError(f"{path}: {where}not valid YAML ({problem})") from None
    if not isinstance(data, dict):
        raise CatalogueError(f"{path}: a catalogue file is a mapping with `version`, "
                             "`providers` and `concepts`")
    try:
        return CatalogueFile.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}"
            for e in error.errors()[:5]
        )
        raise CatalogueError(f"{path}: {problems}") from None


def _merge_list(old: list[str], new: list[str]) -> list[str]:
    return old + [item for item in new if item not in old]


def _merge(
    catalogue: dict[str, Any], file: CatalogueFile, path: Path, origin: dict[str, Path]
) -> None:
    """Merge one file into the catalogue being built, refusing contradictions."""
    for pid, provider in file.providers.items():
        key = f"providers.{pid}"
        existing = catalogue["providers"].get(pid)
        same = existing is None or (
            ProviderEntry(**existing.model_dump(exclude={"id"})) == provider
        )
        if not same:
            raise CatalogueError(
                f"{path}: {key} redefines the provider of {origin[key]} differently; "
                "choose another id, or repeat it unchanged"
            )
        if existing is None:
            catalogue["providers"][pid] = Provider(id=pid, **provider.model_dump())
            origin[key] = path

    for cid, entry in file.concepts.items():
        key = f"concepts.{cid}"
        existing = catalogue["concepts"].get(cid)
        if existing is None:
            missing = [f for f in ("label", "question_type") if getattr(entry, f) is None]
            if missing:
                raise CatalogueError(
                    f"{path}: {key}: a new concept needs {' and '.join(missing)}"
                )
            catalogue["concepts"][cid] = Concept(id=cid, **entry.model_dump(exclude_none=True))
            origin[key] = path
            _note_items(origin, key, entry, path)
            continue
        for name in ("label", "question_type", "description"):
            value = getattr(entry, name)
            if value is not None and value != getattr(existing, name):
                raise CatalogueError(
                    f"{path}: {key}.{name} contradicts {origin[key]}; an extension may "
                    "only add providers, helpers and typical labels to a concept"
                )
        provided_as = dict(existing.provided_as)
        for pid, field in entry.provided_as.items():
            if provided_as.get(pid, field) != field:
                raise CatalogueError(
                    f"{path}: {key}.provided_as.{pid} contradicts {origin[key]}"
                )
            provided_as[pid] = field
        _note_items(origin, key, entry, path)
        catalogue["concepts"][cid] = existing.model_copy(
            update={
                "typical_labels": _merge_list(existing.typical_labels, entry.typical_labels),
                "providers": _merge_list(existing.providers, entry.providers),
                "helpers": _merge_list(existing.helpers, entry.helpers),
                "provided_as": provided_as,
            }
        )


def _note_items(origin: dict[str, Path], key: str, entry: ConceptEntry, path: Path) -> None:
    # Remember which file added each provider, helper and label, so that an error about one
    # of them names the file that wrote it (often an extension, not the shipped catalogue).
    for field in ("providers", "helpers", "typical_labels"):
        for item in getattr(entry, field):
            origin.setdefault(f"{key}.{field}.{item}", path)


def _check_references(
    providers: dict[str, Provider], concepts: dict[str, Concept], origin: dict[str, Path]
) -> None:
    for concept in concepts.values():
        key = f"concepts.{concept.id}"
        for field in ("providers", "helpers"):
            for pid in getattr(concept, field):
                where = origin.get(f"{key}.{field}.{pid}", origin.get(key))
                if pid not in providers:
                    raise CatalogueError(
                        f"{where}: concepts.{concept.id}.{field} names the unknown "
                        f"provider {pid!r}"
                    )
        where = origin.get(key)
        for pid in concept.provided_as:
            if pid not in concept.providers and pid not in concept.helpers:
                raise CatalogueError(
                    f"{where}: concepts.{concept.id}.provided_as names {pid!r}, which is "
                    "not one of its providers or helpers"
                )
        for pid in concept.providers:
            where = origin.get(f"{key}.providers.{pid}", origin.get(key))
            if providers[pid].kind != "source":
                raise CatalogueError(
                    f"{where}: concepts.{concept.id}.providers lists the helper {pid!r}; "
                    "put it under `helpers`"
                )


def load_catalogue(extra: Iterable[Path | str] = ()) -> Catalogue:
    """Load the shipped catalogue, then merge the organisation files ``extra`` in order.

    Raises :class:`CatalogueError` with the file and key for a malformed file, a concept or
    provider redefined differently, or a reference to an unknown provider."""
    paths = [SHIPPED, *(Path(p) for p in extra)]
    built: dict[str, Any] = {"providers": {}, "concepts": {}}
    origin: dict[str, Path] = {}
    for path in paths:
        _merge(built, _read_file(path), path, origin)
    _check_references(built["providers"], built["concepts"], origin)
    _label_index(built["concepts"], origin, paths)
    return Catalogue(
        version=FORMAT_VERSION,
        providers=built["providers"],
        concepts=built["concepts"],
        files=[str(p) for p in paths],
    )


# --- schema ------------------------------------------------------------------------------


def catalogue_schema() -> dict[str, Any]:
    """The JSON Schema of a catalogue file, generated from :class:`CatalogueFile`."""
    schema = CatalogueFile.model_json_schema()
    # pydantic checks dict keys but does not write their pattern into the schema; an editor
    # should flag a malformed id too.
    properties = schema["properties"]
    properties["providers"]["propertyNames"] = {"pattern": PROVIDER_ID}
    properties["concepts"]["propertyNames"] = {"pattern": CONCEPT_ID}
    schema["$defs"]["ConceptEntry"]["properties"]["provided_as"]["propertyNames"] = {
        "pattern": PROVIDER_ID
    }
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            **schema}


def schema_text() -> str:
    """The committed form of :func:`catalogue_schema` (stable key order, final newline)."""
    return json.dumps(catalogue_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path = SCHEMA_FILE) -> Path:
    """Write :func:`schema_text` to ``path`` (``schemas/concepts.schema.json``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema_text(), encoding="utf-8")
    return path


if __name__ == "__main__":  # python -m designer.concepts regenerates the committed schema
    print(write_schema())
