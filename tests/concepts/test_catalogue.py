"""The concept catalogue: the shipped data, organisation extensions, lookups, the schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from designer.concepts import (
    SCHEMA_FILE,
    SHIPPED,
    CatalogueError,
    catalogue_schema,
    load_catalogue,
    normalise_label,
    schema_text,
)

REQUIRED_CONCEPTS = """
identite.nom identite.nom_usage identite.prenoms identite.date_naissance identite.lieu_naissance
identite.pays_naissance identite.sexe contact.email contact.telephone adresse.domicile
caf.quotient_familial caf.numero_allocataire caf.allocataire fiscal.revenu_fiscal_reference
fiscal.nombre_parts fiscal.numero_fiscal etudiant.statut etudiant.boursier
emploi.demandeur_emploi social.rsa social.aah social.css entreprise.siret
entreprise.raison_sociale entreprise.adresse_siege entreprise.forme_juridique entreprise.code_naf
foyer.nombre_enfants vehicule.immatriculation
""".split()

FORMAT_TYPES = {"text", "textarea", "integer", "decimal", "yesno", "choice", "multichoice",
                "date", "email", "phone", "postcode", "address", "siret", "nir", "iban", "file"}


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the shipped catalogue ------------------------------------------------------------------


def test_shipped_catalogue_has_the_expected_concepts(catalogue):
    missing = [c for c in REQUIRED_CONCEPTS if c not in catalogue]
    assert not missing
    assert catalogue.version == 1


def test_every_concept_is_complete(catalogue):
    for concept in catalogue.concepts.values():
        assert concept.question_type in FORMAT_TYPES
        assert concept.label.fr and concept.label.en
        assert len(concept.typical_labels) >= 2, concept.id
        for pid in concept.providers:
            assert catalogue.providers[pid].kind == "source"


def test_every_provider_cites_its_source(catalogue):
    for provider in catalogue.providers.values():
        assert provider.source_url.startswith("https://")
        assert len(provider.source) > 40, provider.id
        assert provider.name.fr and provider.name.en


def test_providers_of_identity_and_social_data(catalogue):
    ids = lambda concept: [p.id for p in catalogue.providers_for(concept)]  # noqa: E731
    assert ids("identite.nom") == ["franceconnect"]
    assert ids("identite.date_naissance") == ["franceconnect"]
    assert ids("contact.email") == ["franceconnect"]
    assert ids("caf.quotient_familial") == ["api-particulier-quotient-familial"]
    assert ids("fiscal.revenu_fiscal_reference") == ["api-particulier-impot"]
    assert ids("entreprise.raison_sociale") == ["api-entreprise-sirene"]
    # Data the citizen alone knows, or that is only a key to call an API.
    for concept in ("contact.telephone", "foyer.nombre_enfants", "vehicule.immatriculation",
                    "caf.numero_allocataire", "fiscal.numero_fiscal", "entreprise.siret",
                    "adresse.domicile"):
        assert ids(concept) == [], concept


def test_providers_for_can_be_restricted_to_connected_providers(catalogue):
    assert catalogue.providers_for("identite.nom", among=["api-particulier-impot"]) == []
    assert [p.id for p in catalogue.providers_for("identite.nom", among={"franceconnect"})] == [
        "franceconnect"
    ]
    with pytest.raises(KeyError, match="unknown concept"):
        catalogue.providers_for("nope.nope")


def test_address_helper_is_not_a_provider(catalogue):
    assert catalogue.providers_for("adresse.domicile") == []
    assert [p.id for p in catalogue.helpers_for("adresse.domicile")] == ["base-adresse-nationale"]
    assert catalogue.providers["base-adresse-nationale"].kind == "helper"


# --- lookups by label -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "concept"),
    [
        ("Date de naissance", "identite.date_naissance"),
        ("Votre date de naissance ?", "identite.date_naissance"),
        ("DATE DE NAISSANCE", "identite.date_naissance"),
        ("date de naissance :", "identite.date_naissance"),
        ("Date of birth", "identite.date_naissance"),
        ("What is your date of birth?", "identite.date_naissance"),
        ("Nom de famille", "identite.nom"),
        ("Prénom", "identite.prenoms"),
        ("prenom", "identite.prenoms"),
        ("Quel est votre numéro de téléphone ?", "contact.telephone"),
        ("Adresse e-mail", "contact.email"),
        ("Adresse   électronique", "contact.email"),
        ("Êtes-vous allocataire de la CAF ?", "caf.allocataire"),
        ("Votre quotient familial", "caf.quotient_familial"),
        ("N° SIRET", "entreprise.siret"),
        ("Revenu fiscal de référence", "fiscal.revenu_fiscal_reference"),
        ("Numéro d'immatriculation", "vehicule.immatriculation"),
    ],
)
def test_find_by_label(catalogue, label, concept):
    found = catalogue.find_by_label(label)
    assert found is not None, label
    assert found.id == concept


@pytest.mark.parametrize(
    "label", ["", "   ", "?", "Couleur préférée", "Votre", "Avez-vous un chien"]
)
def test_find_by_label_without_match(catalogue, label):
    assert catalogue.find_by_label(label) is None


def test_normalise_label():
    assert normalise_label("  Êtes-vous  étudiant(e) ?") == "etes vous etudiant e"
    assert normalise_label("Votre nom") == normalise_label("nom") == "nom"
    assert normalise_label("L'adresse") == "adresse"
    assert normalise_label("Your e-mail") == "e mail"


# --- organisation extensions ----------------------------------------------------------------

EXTENSION = """
version: 1
providers:
  api-metropole-cartes:
    name: {fr: Cartes de transport de la Métropole, en: Metropolitan transport passes}
    description: Abonnements en cours de l'usager, fournis par le système billettique.
    source_url: https://example.org/doc/api-cartes
    source: Documentation interne de l'API billettique, version 2, section « abonnés ».
concepts:
  transport.abonne:
    label: {fr: Abonné aux transports, en: Transport pass holder}
    typical_labels: [Êtes-vous abonné TCL, Are you a pass holder]
    question_type: yesno
    providers: [api-metropole-cartes]
  caf.quotient_familial:
    typical_labels: [QF municipal]
    providers: [api-metropole-cartes]
    provided_as: {api-metropole-cartes: qf}
"""


def test_extension_adds_and_extends(tmp_path):
    catalogue = load_catalogue([write(tmp_path, "metropole.yaml", EXTENSION)])
    assert catalogue.get("transport.abonne").question_type == "yesno"
    assert [p.id for p in catalogue.providers_for("transport.abonne")] == ["api-metropole-cartes"]
    qf = catalogue.concepts["caf.quotient_familial"]
    assert qf.providers == ["api-particulier-quotient-familial", "api-metropole-cartes"]
    assert "QF municipal" in qf.typical_labels
    assert "Quotient familial" in qf.typical_labels  # the shipped labels are kept
    assert qf.label.fr == "Quotient familial CAF ou MSA"
    assert catalogue.find_by_label("QF municipal").id == "caf.quotient_familial"
    assert catalogue.find_by_label("Êtes-vous abonné TCL ?").id == "transport.abonne"
    assert len(catalogue.files) == 2


def test_shipped_catalogue_is_not_changed_by_an_extension(tmp_path):
    load_catalogue([write(tmp_path, "metropole.yaml", EXTENSION)])
    again = load_catalogue()
    assert "transport.abonne" not in again
    assert again.concepts["caf.quotient_familial"].providers == [
        "api-particulier-quotient-familial"
    ]


def test_repeating_a_shipped_entry_unchanged_is_allowed(tmp_path):
    shipped = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    same = {"version": 1,
            "providers": {"franceconnect": shipped["providers"]["franceconnect"]},
            "concepts": {"identite.nom": {"question_type": "text"}}}
    catalogue = load_catalogue([write(tmp_path, "same.yaml", yaml.safe_dump(same))])
    assert catalogue.providers["franceconnect"].kind == "source"


BAD_EXTENSIONS = [
    ("conflict-type", "version: 1\nconcepts:\n  identite.nom:\n    question_type: date\n",
     "concepts.identite.nom.question_type contradicts"),
    ("conflict-label",
     "version: 1\nconcepts:\n  identite.nom:\n    label: {fr: Nom, en: Name}\n",
     "concepts.identite.nom.label contradicts"),
    ("conflict-provider",
     "version: 1\nproviders:\n  franceconnect:\n    name: {fr: FC, en: FC}\n"
     "    description: autre\n    source_url: https://example.org\n    source: ailleurs\n",
     "providers.franceconnect redefines the provider"),
    ("conflict-provided-as",
     "version: 1\nconcepts:\n  identite.nom:\n    provided_as: {franceconnect: nom}\n",
     "provided_as.franceconnect contradicts"),
    ("unknown-provider",
     "version: 1\nconcepts:\n  identite.nom:\n    providers: [api-inconnue]\n",
     "unknown provider 'api-inconnue'"),
    ("helper-as-provider",
     "version: 1\nconcepts:\n  adresse.domicile:\n    providers: [base-adresse-nationale]\n",
     "lists the helper"),
    ("new-concept-incomplete",
     "version: 1\nconcepts:\n  transport.abonne:\n    typical_labels: [Abonné]\n",
     "a new concept needs label and question_type"),
    ("shared-label",
     "version: 1\nconcepts:\n  transport.naissance:\n    label: {fr: Naissance, en: Birth}\n"
     "    typical_labels: [Date de naissance]\n    question_type: date\n",
     "is also a label of identite.date_naissance"),
    ("shared-label-extending",
     "version: 1\nconcepts:\n  identite.nom:\n    typical_labels: [Date of birth]\n",
     "is also a label of identite.date_naissance"),
    ("bad-type",
     "version: 1\nconcepts:\n  transport.abonne:\n    label: {fr: A, en: B}\n"
     "    question_type: colour\n",
     "concepts.transport.abonne.question_type"),
    ("bad-id", "version: 1\nconcepts:\n  Transport:\n    label: {fr: A, en: B}\n"
     "    question_type: text\n", "concepts.Transport"),
    ("unknown-key", "version: 1\nconcepts:\n  identite.nom:\n    libelle: Nom\n",
     "concepts.identite.nom.libelle"),
    ("wrong-version", "version: 2\n", "version"),
    ("no-version", "concepts: {}\n", "version"),
    ("not-mapping", "- a\n- b\n", "a catalogue file is a mapping"),
    ("empty", "", "a catalogue file is a mapping"),
    ("yaml-syntax", "version: 1\nconcepts: {identite.nom: [\n", "not valid YAML"),
    ("duplicate-key",
     "version: 1\nconcepts:\n  identite.nom: {}\n  identite.nom: {}\n",
     "line 4: the key 'identite.nom' is defined twice"),
    ("bad-url",
     "version: 1\nproviders:\n  x:\n    name: {fr: X, en: X}\n    description: d\n"
     "    source_url: javascript:alert(1)\n    source: s\n", "providers.x.source_url"),
]


@pytest.mark.parametrize(("name", "text", "message"), BAD_EXTENSIONS,
                         ids=[b[0] for b in BAD_EXTENSIONS])
def test_bad_extension_is_a_clear_error_naming_the_file(tmp_path, name, text, message):
    path = write(tmp_path, f"{name}.yaml", text)
    with pytest.raises(CatalogueError) as raised:
        load_catalogue([path])
    assert str(path) in str(raised.value)
    assert message in str(raised.value)


def test_missing_or_binary_extension_file(tmp_path):
    with pytest.raises(CatalogueError, match="cannot be read"):
        load_catalogue([tmp_path / "absent.yaml"])
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(CatalogueError, match="binary.yaml"):
        load_catalogue([binary])


def test_conflict_message_names_both_files(tmp_path):
    first = write(tmp_path, "a.yaml", "version: 1\nconcepts:\n  x.y:\n"
                  "    label: {fr: A, en: A}\n    question_type: text\n")
    second = write(tmp_path, "b.yaml", "version: 1\nconcepts:\n  x.y:\n"
                   "    question_type: integer\n")
    with pytest.raises(CatalogueError) as raised:
        load_catalogue([first, second])
    assert str(second) in str(raised.value) and str(first) in str(raised.value)


# --- the schema -----------------------------------------------------------------------------


def test_committed_schema_is_up_to_date():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "schemas/concepts.schema.json is stale: run `python -m designer.concepts`"
    )


def test_schema_validates_the_shipped_catalogue():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize(
    "data",
    [
        {"version": 2},
        {"version": 1, "concepts": {"Bad": {}}},
        {"version": 1, "concepts": {"a.b": {"question_type": "repeat"}}},
        {"version": 1, "concepts": {"a.b": {"unknown": 1}}},
        {"version": 1, "providers": {"x": {"name": {"fr": "X", "en": "X"}}}},
        {"version": 1, "concepts": {"a.b": {"provided_as": {"Bad Id": "f"}}}},
    ],
)
def test_schema_rejects_malformed_files(data):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, catalogue_schema(), cls=jsonschema.Draft202012Validator)
