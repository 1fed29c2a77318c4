"""The providers' published test data: FranceConnect's test identities and the staging
cases of API Particulier and API Entreprise (one YAML file per case: the request
parameters that select it, the HTTP status and the exact JSON body answered).

Read from a folder laid out as ``shared/providers`` (``franceconnect/base.csv``,
``api-gouv/payloads/<endpoint>/*.y(a)ml``); nothing is copied into the project.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

#: Where the test data is looked for when no folder is given.
ENV_VAR = "PARCOURS_PROVIDERS_TESTDATA"


def default_folder() -> Path | None:
    """``$PARCOURS_PROVIDERS_TESTDATA``, else ``../shared/providers`` beside the working
    folder or beside this checkout; None when none exists."""
    candidates = []
    if os.environ.get(ENV_VAR):
        candidates.append(Path(os.environ[ENV_VAR]))
    candidates.append(Path.cwd().parent / "shared" / "providers")
    candidates.append(Path(__file__).resolve().parents[3] / "shared" / "providers")
    for candidate in candidates:
        if (candidate / "franceconnect" / "base.csv").is_file():
            return candidate
    return None


@dataclass(frozen=True)
class Identity:
    """One test identity of FranceConnect's mock identity provider (its claims)."""

    login: str
    password: str
    claims: dict[str, Any]

    @property
    def label(self) -> str:
        """How the identity picker shows it."""
        name = " ".join(p for p in (self.claims.get("given_name"), self.claims.get(
            "family_name")) if p)
        return f"{self.login} — {name or '(sans nom)'}, {self.claims.get('birthdate', '')}"


#: The columns of base.csv that are OpenID Connect claims of FranceConnect's identity.
IDENTITY_CLAIMS = (
    "given_name", "family_name", "preferred_username", "birthdate", "birthplace",
    "birthcountry", "gender", "email", "phone_number",
)


def identities(folder: Path) -> dict[str, Identity]:
    """The test identities, by login."""
    found: dict[str, Identity] = {}
    with open(folder / "franceconnect" / "base.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            login = (row.get("login") or "").strip()
            if not login:
                continue
            claims = {k: (row.get(k) or "").strip() for k in IDENTITY_CLAIMS}
            address = {
                "country": row.get("country", ""), "locality": row.get("locality", ""),
                "postal_code": row.get("postal_code", ""),
                "street_address": row.get("street_address", ""),
            }
            claims_out: dict[str, Any] = {k: v for k, v in claims.items() if v}
            if any(address.values()):
                claims_out["address"] = address
            found[login] = Identity(login, row.get("password", ""), claims_out)
    return found


@dataclass
class Case:
    """One staging case: the parameters that select it, and the answer."""

    name: str
    params: dict[str, Any]
    status: int
    body: str


@dataclass
class Endpoint:
    """The cases of one endpoint folder (``api_particulier_v3_…``)."""

    folder: str
    cases: list[Case] = field(default_factory=list)


def endpoints(folder: Path) -> dict[str, Endpoint]:
    """Every endpoint folder of ``api-gouv/payloads``, by folder name."""
    found: dict[str, Endpoint] = {}
    root = folder / "api-gouv" / "payloads"
    if not root.is_dir():
        return found
    for sub in sorted(p for p in root.iterdir() if p.is_dir()):
        endpoint = Endpoint(sub.name)
        for path in sorted([*sub.glob("*.yaml"), *sub.glob("*.yml")]):
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except yaml.YAMLError:
                continue
            if not isinstance(data, dict) or "status" not in data:
                continue
            endpoint.cases.append(Case(
                path.stem, dict(data.get("params") or {}), int(data["status"]),
                str(data.get("payload") or "{}"),
            ))
        found[sub.name] = endpoint
    return found


def _same(expected: Any, given: Any) -> bool:
    if isinstance(expected, list):
        given_list = given if isinstance(given, list) else [given]
        return [str(e).casefold() for e in expected] == [str(g).casefold() for g in given_list]
    return str(expected).casefold() == str(given).casefold()


def select(endpoint: Endpoint, params: dict[str, Any]) -> Case | None:
    """The case whose every parameter the request gives, alike (the most specific first)."""
    matching = [
        case for case in endpoint.cases
        if case.params and all(k in params and _same(v, params[k]) for k, v in case.params.items())
    ]
    return max(matching, key=lambda c: len(c.params), default=None)
