"""The server's settings: defaults, then an optional TOML file, then environment variables,
then the command line (each overrides the one before). docs/operations.md lists them all.

Every setting has an environment variable ``PARCOURS_<NAME>`` (upper case) and a key
``<name>`` in the file (``PARCOURS_CONFIG=/etc/parcours/parcours.toml`` or
``parcours serve --config FILE``). Lists are comma-separated in the environment and TOML
arrays in the file.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from renderer.databases import BUSY_TIMEOUT_MS, DB_POOL_SIZE
from renderer.objects import ObjectSettings
from renderer.printing import PDF_RENDERS
from renderer.providers.apis import ApiConfig


class ConfigError(Exception):
    """A setting that cannot be used, with the reason (shown without a traceback)."""


@dataclass
class Settings:
    """What an operator sets."""

    #: The folder of journeys served (or one journey file).
    journeys: str = "journeys"
    #: Re-read the journey files on each request (designers editing them; not in production).
    reload: bool = False
    #: ``sqlite:///FILE`` or ``postgresql://USER@HOST/DB`` (a password belongs in
    #: ``PGPASSWORD`` or ``~/.pgpass``, not in a URL that may be logged).
    database_url: str = "sqlite:///parcours.db"
    #: Keys signing the session cookie, newest LAST: the last signs, every one is accepted
    #: (rotation: append a new key, restart every host, drop the old one 30 days later).
    #: Empty: one random key kept in the database, shared by every process on it.
    secret_keys: list[str] = field(default_factory=list)
    #: The address citizens use (``https://demarches.example.fr``): every link the server
    #: writes (resume links) starts with it, never with the request's Host header.
    public_url: str = ""
    #: Host names accepted in the Host header (``*.example.fr`` for subdomains); others get a
    #: 400. Empty: the host of ``public_url``. ``*`` accepts all (only behind a proxy that
    #: checks the host itself).
    trusted_hosts: list[str] = field(default_factory=list)
    #: Addresses of reverse proxies whose X-Forwarded-For / -Proto are believed (uvicorn's
    #: ``forwarded_allow_ips``): the client address of the throttle comes from them.
    trusted_proxies: list[str] = field(default_factory=lambda: ["127.0.0.1"])
    #: Networks allowed to read ``/-/metrics`` (the other endpoints are public).
    metrics_allow: list[str] = field(default_factory=lambda: ["127.0.0.1/32", "::1/128"])
    #: Folder of uploaded files (default: beside a SQLite file; in the database for PostgreSQL
    #: unless set, so that several hosts need no shared folder).
    files_dir: str = ""
    #: S3-compatible object storage for the bytes of uploaded files, instead of the folder
    #: (needs ``pip install parcours[s3]``): the service's address (empty: AWS itself), the
    #: bucket (created by the operator), its region, and the credentials (empty: boto3's
    #: usual sources, such as ``AWS_ACCESS_KEY_ID``).
    s3_endpoint_url: str = ""
    s3_bucket: str = ""
    s3_region: str = "us-east-1"
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    #: Redis for the throttle of resume attempts (``redis://host:6379/0``); empty: the
    #: database keeps the counts (shared as well, one write per failed attempt).
    redis_url: str = ""
    #: Longest wait for a database lock before a 503 page (milliseconds).
    busy_timeout_ms: int = BUSY_TIMEOUT_MS
    #: Most PostgreSQL connections each process opens (its threads wait for a free one, up
    #: to ``busy_timeout_ms``, then a 503): ``workers`` × this, plus the job runner's, must
    #: stay under the server's ``max_connections``. SQLite keeps one per thread.
    db_pool_size: int = DB_POOL_SIZE
    #: PDFs (receipts, letters, paper forms) made at the same time by each process, each
    #: 0.1–0.5 s of CPU; more requests wait up to ``busy_timeout_ms``, then a 503.
    pdf_renders: int = PDF_RENDERS
    #: Outgoing mail (``smtp://user@host:587``), for the notifications of the back office.
    smtp_url: str = ""
    #: The data providers (docs/providers.md): API Particulier and API Entreprise, their
    #: address and token, and the SIRET of the organisation that asks (``recipient``);
    #: :class:`renderer.providers.connected.Providers` builds their clients from these.
    api_particulier_url: str = ""
    api_particulier_token: str = ""
    api_entreprise_url: str = ""
    api_entreprise_token: str = ""
    providers_recipient: str = ""
    #: FranceConnect: the issuer and this service's registration.
    franceconnect_issuer: str = ""
    franceconnect_client_id: str = ""
    franceconnect_client_secret: str = ""
    #: Start the FranceConnect and API stand-ins beside the server and connect to them
    #: (``serve --dev-providers``; test data only, never in production).
    dev_providers: bool = False
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_level: str = "info"
    #: JSON log lines (for a log collector); false for plain text in a terminal.
    json_logs: bool = True
    #: Run the hourly purge in this process (turn off on all hosts but one, if wished).
    purge: bool = True

    def environment(self) -> dict[str, str]:
        """These settings as PARCOURS_* variables (for worker processes)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, list):
                text = ",".join(value)
            elif isinstance(value, bool):
                text = "true" if value else "false"
            else:
                text = str(value)
            out[f"PARCOURS_{f.name.upper()}"] = text
        return out

    def api(self, name: str) -> ApiConfig | None:
        """The configuration of ``particulier`` or ``entreprise``, None when not set."""
        base = getattr(self, f"api_{name}_url")
        token = getattr(self, f"api_{name}_token")
        if not base or not token:
            return None
        return ApiConfig(base_url=base, token=token, recipient=self.providers_recipient)

    def objects(self) -> ObjectSettings | None:
        """The object storage of uploaded files, None when no bucket is set."""
        if not self.s3_bucket:
            return None
        return ObjectSettings(endpoint_url=self.s3_endpoint_url, bucket=self.s3_bucket,
                              region=self.s3_region, access_key_id=self.s3_access_key_id,
                              secret_access_key=self.s3_secret_access_key)

    def hosts(self) -> list[str]:
        """The trusted host names, the public URL's host by default."""
        if self.trusted_hosts:
            return list(self.trusted_hosts)
        if self.public_url:
            return [urlsplit(self.public_url).hostname or ""]
        return []

    def check(self) -> None:
        """Raise ConfigError for a setting that cannot work."""
        if self.public_url:
            parts = urlsplit(self.public_url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ConfigError(f"public_url {self.public_url!r}: use https://HOST[:PORT]")
            if parts.path not in ("", "/") or parts.query:
                raise ConfigError("public_url: no path or query (the server is served at /)")
        if self.workers < 1:
            raise ConfigError("workers: at least 1")
        if self.busy_timeout_ms < 1:
            raise ConfigError("busy_timeout_ms: at least 1")
        if self.db_pool_size < 1:
            raise ConfigError("db_pool_size: at least 1")
        if self.pdf_renders < 1:
            raise ConfigError("pdf_renders: at least 1")
        for name in ("particulier", "entreprise"):
            if bool(getattr(self, f"api_{name}_url")) != bool(getattr(self, f"api_{name}_token")):
                raise ConfigError(f"api_{name}_url and api_{name}_token go together")
        if self.s3_endpoint_url and not self.s3_bucket:
            raise ConfigError("s3_endpoint_url needs s3_bucket")
        if bool(self.s3_access_key_id) != bool(self.s3_secret_access_key):
            raise ConfigError("s3_access_key_id and s3_secret_access_key go together")
        franceconnect = [self.franceconnect_issuer, self.franceconnect_client_id,
                         self.franceconnect_client_secret]
        if any(franceconnect) and not all(franceconnect):
            raise ConfigError("franceconnect_issuer, franceconnect_client_id and "
                              "franceconnect_client_secret go together")
        for key in self.secret_keys:
            if len(key) < 32:
                raise ConfigError("secret_keys: each key needs at least 32 characters")


def _convert(name: str, kind: Any, value: Any) -> Any:
    text = kind if isinstance(kind, str) else getattr(kind, "__name__", str(kind))
    try:
        if text.startswith("list"):
            if isinstance(value, str):
                return [v.strip() for v in value.split(",") if v.strip()]
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                return value
            raise ValueError("a list of texts")
        if text == "int":
            if isinstance(value, bool) or not str(value).strip().isdigit():
                raise ValueError("a whole number")
            return int(value)
        if text == "bool":
            if isinstance(value, bool):
                return value
            lowered = str(value).strip().lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
            raise ValueError("true or false")
        if not isinstance(value, str):
            raise ValueError("a text")
        return value
    except ValueError as exc:
        raise ConfigError(f"{name}: {value!r} is not {exc}") from None


def load(
    file: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """The settings from the file (``file`` or ``$PARCOURS_CONFIG``), the environment and
    ``overrides`` (the command line's, None values ignored)."""
    env = os.environ if env is None else env
    settings = Settings()
    kinds = {f.name: f.type for f in fields(Settings)}
    path = file or env.get("PARCOURS_CONFIG")
    if path:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"{path}: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from None
        for key, value in data.items():
            if key not in kinds:
                raise ConfigError(f"{path}: unknown setting {key!r} (see docs/operations.md)")
            setattr(settings, key, _convert(key, kinds[key], value))
    for key, kind in kinds.items():
        value = env.get(f"PARCOURS_{key.upper()}")
        if value is not None and value != "":
            setattr(settings, key, _convert(f"PARCOURS_{key.upper()}", kind, value))
    for key, value in (overrides or {}).items():
        if value is not None:
            setattr(settings, key, value)
    settings.check()
    return settings
