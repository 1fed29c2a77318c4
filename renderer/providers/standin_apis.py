"""An API Particulier and API Entreprise stand-in on the loopback, answering from the
State's staging cases (``shared/providers/api-gouv/payloads``).

Each endpoint folder of the staging data is served at the path its OpenAPI description
gives (``api_particulier_v3_cnav_quotient_familial_with_france_connect`` at
``/v3/dss/quotient_familial/france_connect``). A call is answered with the case whose
parameters it gives (the most specific one), with that case's status and exact body; no
case is a 404. As on the real APIs:

- API Particulier authenticates with ``Authorization: Bearer`` and the service's token;
  on a ``…/france_connect`` endpoint the bearer is the citizen's FranceConnect access
  token, which the stand-in resolves with FranceConnect's ``checktoken`` endpoint (over
  HTTP, like the real API) into the identity that selects the case;
- both require ``recipient`` (the SIRET of the calling organisation); API Entreprise also
  ``context`` and ``object``; a missing one is a 400 (Particulier) or 422 (Entreprise).

``failure`` makes it misbehave for tests and demonstrations (``down``: 503; ``slow``:
every answer waits ``delay`` seconds).
"""

from __future__ import annotations

import asyncio
import re
import secrets
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from renderer.providers.apis import civility_params
from renderer.providers.testdata import Endpoint, endpoints, select

_PATH = re.compile(r'^  "?(/v[34]/[^"\s:]+)"?:\s*$', re.M)
_MODES = {"civility": "identite", "france_connect": "france_connect", "ine": "ine",
          "identifiant": "identifiant"}


def _openapi_paths(folder: Path) -> list[str]:
    paths: list[str] = []
    for name in ("api_particulier.yaml", "api_entreprise.yaml"):
        file = folder / "api-gouv" / "openapi_files" / name
        if file.is_file():
            paths += _PATH.findall(file.read_text(encoding="utf-8"))
    return paths


def _path_of(endpoint: str, paths: list[str]) -> str | None:
    """The OpenAPI path of a staging folder name, or None when it has none."""
    if endpoint.startswith("api_particulier_v3_"):
        rest = endpoint.removeprefix("api_particulier_v3_")
        mode = next((m for m in _MODES if rest.endswith("_with_" + m)), None)
        if mode is None:
            return None
        words = rest.removesuffix("_with_" + mode).split("_")
        # The folder names the producer (cnav), the path its ministry (dss): match the
        # longest tail of the name, in v3.
        for start in range(len(words)):
            tail = "_".join(words[start:])
            for path in paths:
                if path.startswith("/v3/") and path.endswith(f"/{tail}/{_MODES[mode]}"):
                    return path
        return None
    if endpoint.startswith("api_entreprise_v3_insee_"):
        shapes = {
            "etablissements": "/v3/insee/sirene/etablissements/{siret}",
            "etablissements_diffusables": "/v3/insee/sirene/etablissements/diffusibles/{siret}",
            "adresses_etablissements": "/v3/insee/sirene/etablissements/{siret}/adresse",
            "adresses_etablissements_diffusables":
                "/v3/insee/sirene/etablissements/diffusibles/{siret}/adresse",
            "unites_legales": "/v3/insee/sirene/unites_legales/{siren}",
            "unites_legales_diffusables": "/v3/insee/sirene/unites_legales/diffusibles/{siren}",
            "sieges_unites_legales": "/v3/insee/sirene/unites_legales/{siren}/siege_social",
            "sieges_diffusables_unites_legales":
                "/v3/insee/sirene/unites_legales/diffusibles/{siren}/siege_social",
            "successions": "/v3/insee/sirene/etablissements/{siret}/successions",
        }
        shape = shapes.get(endpoint.removeprefix("api_entreprise_v3_insee_"))
        return shape if shape in paths else None
    return None


def _query(request: Request) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for key in request.query_params:
        values = request.query_params.getlist(key)
        if key.endswith("[]"):
            params[key[:-2]] = values
        else:
            params[key] = values[0] if len(values) == 1 else values
    return params


def _errors(status: int, code: str, title: str, detail: str) -> JSONResponse:
    return JSONResponse({"errors": [{"code": code, "title": title, "detail": detail}]},
                        status_code=status)


class ApiStandIn:
    """API Particulier and API Entreprise, from the staging cases of ``folder``."""

    def __init__(self, folder: Path, token: str, checktoken_url: str | None = None):
        self.token = token
        self.checktoken_url = checktoken_url
        self.failure: str | None = None
        self.delay = 5.0
        paths = _openapi_paths(folder)
        self.routes: list[tuple[re.Pattern[str], str, Endpoint]] = []
        for name, endpoint in endpoints(folder).items():
            path = _path_of(name, paths)
            if path is None:
                continue
            pattern = re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)",
                                              re.escape(path)) + "$")
            self.routes.append((pattern, path, endpoint))

    @property
    def served(self) -> list[str]:
        """The paths served."""
        return sorted(path for _, path, _ in self.routes)

    async def _identity(self, bearer: str) -> dict[str, Any] | None:
        if self.checktoken_url is None:
            return None
        async with httpx.AsyncClient(timeout=5) as client:
            r = await client.post(self.checktoken_url, data={"token": bearer})
        if r.status_code != 200:
            return None
        identity = r.json().get("identity")
        return identity if isinstance(identity, dict) else None

    async def answer(self, request: Request) -> Response:
        if self.failure == "down":
            return JSONResponse({"errors": [{"title": "Service indisponible"}]}, status_code=503)
        if self.failure == "slow":
            await asyncio.sleep(self.delay)
        path = request.url.path
        found = next(((m, e) for p, _, e in self.routes if (m := p.match(path))), None)
        if found is None:
            return _errors(404, "00404", "Not found", f"no endpoint at {path}")
        match, endpoint = found
        particulier = endpoint.folder.startswith("api_particulier")
        auth = request.headers.get("authorization", "")
        bearer = auth[7:].strip() if auth.startswith("Bearer ") else ""
        params = _query(request) | match.groupdict()
        required = ["recipient"] if particulier else ["recipient", "context", "object"]
        missing = [name for name in required if not params.get(name)]
        if missing:
            status = 400 if particulier else 422
            return _errors(status, "00211", "Paramètre manquant", ", ".join(missing))
        if endpoint.folder.endswith("_with_france_connect"):
            identity = await self._identity(bearer) if bearer else None
            if identity is None:
                return _errors(401, "00101", "Jeton FranceConnect invalide",
                               "le jeton FranceConnect est absent, invalide ou expiré")
            # As the real API: the identity becomes the civility parameters.
            params |= {k.removesuffix("[]"): v for k, v in civility_params(identity).items()}
        elif not secrets.compare_digest(bearer, self.token):
            return _errors(401, "00101", "Interdit", "jeton d'accès absent ou invalide")
        case = select(endpoint, params)
        if case is None:
            return _errors(404, "37003", "Dossier allocataire inexistant"
                           if particulier else "Entité non trouvée", "aucun cas ne correspond")
        return Response(case.body, status_code=case.status, media_type="application/json")

    def app(self) -> Starlette:
        """The stand-in as an ASGI application."""
        return Starlette(routes=[
            Route("/{path:path}", self.answer, methods=["GET"]),
        ])
