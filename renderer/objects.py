"""Uploaded files' bytes in S3-compatible object storage (an option; a folder is the
default): one object per upload, written once under its random id and never changed.

Configured by the settings ``s3_endpoint_url``, ``s3_bucket``, ``s3_region``,
``s3_access_key_id`` and ``s3_secret_access_key`` (docs/operations.md); the bucket is the
operator's to create. The database keeps each file's SHA-256, which
:meth:`renderer.filestore.FileStore.get_file` checks on every read; the object is also sent
with its SHA-256 so that the storage refuses bytes damaged on the way. Needs boto3
(``pip install parcours[s3]``).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

from renderer.databases import StoreError

#: The prefix of a file row's ``path`` whose bytes are an object (the rest is its key).
PREFIX = "s3:"


@dataclass(frozen=True)
class ObjectSettings:
    """Where the objects go and with which credentials (empty: boto3's usual sources, such
    as ``AWS_ACCESS_KEY_ID`` or an instance role)."""

    endpoint_url: str
    bucket: str
    region: str = "us-east-1"
    access_key_id: str = ""
    secret_access_key: str = ""
    #: Seconds to connect and to read, then a clear error (never a hung citizen).
    timeout: float = 10.0


class ObjectStore:
    """A bucket of an S3-compatible service, through boto3."""

    def __init__(self, settings: ObjectSettings) -> None:
        try:
            import boto3
            from botocore.config import Config
        except ImportError:  # pragma: no cover - the s3 extra is in the test extra
            raise StoreError("object storage needs boto3: pip install parcours[s3]") from None
        self.settings = settings
        credentials: dict[str, str] = {}
        if settings.access_key_id:
            credentials = {"aws_access_key_id": settings.access_key_id,
                           "aws_secret_access_key": settings.secret_access_key}
        self.client: Any = boto3.client(
            "s3", endpoint_url=settings.endpoint_url or None, region_name=settings.region,
            config=Config(connect_timeout=settings.timeout, read_timeout=settings.timeout,
                          retries={"max_attempts": 3, "mode": "standard"},
                          # Path-style addresses work with every S3-compatible server.
                          s3={"addressing_style": "path"}),
            **credentials)

    def _fail(self, what: str, exc: Exception) -> StoreError:
        return StoreError(f"object storage {self.settings.endpoint_url or 'S3'} bucket "
                          f"{self.settings.bucket!r}: {what}: {exc}")

    def check(self) -> None:
        """Raise StoreError when the bucket cannot be reached (at start, not at the first
        upload)."""
        try:
            self.client.head_bucket(Bucket=self.settings.bucket)
        except Exception as exc:  # noqa: BLE001 - botocore's errors are many; all say why
            raise self._fail("not reachable", exc) from None

    def put(self, key: str, data: bytes) -> str:
        """Store ``data`` under ``key``; return the row's ``path`` for it."""
        digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
        try:
            self.client.put_object(Bucket=self.settings.bucket, Key=key, Body=data,
                                   ChecksumSHA256=digest)
        except Exception as exc:  # noqa: BLE001
            raise self._fail(f"cannot write {key}", exc) from None
        return PREFIX + key

    def get(self, path: str) -> bytes:
        """The bytes of the object of a row's ``path`` (checked by the caller)."""
        key = path.removeprefix(PREFIX)
        try:
            answer = self.client.get_object(Bucket=self.settings.bucket, Key=key)
            return bytes(answer["Body"].read())
        except Exception as exc:  # noqa: BLE001
            raise self._fail(f"cannot read {key}", exc) from None

    def delete(self, path: str) -> None:
        """Delete the object of a row's ``path`` (nothing when it is gone already)."""
        key = path.removeprefix(PREFIX)
        try:
            self.client.delete_object(Bucket=self.settings.bucket, Key=key)
        except Exception as exc:  # noqa: BLE001
            raise self._fail(f"cannot delete {key}", exc) from None


def open_objects(settings: ObjectSettings | None) -> ObjectStore | None:
    """The object storage of ``settings`` with its bucket checked (StoreError when it cannot
    be reached: the server or the command says so at start); None without settings."""
    if settings is None:
        return None
    objects = ObjectStore(settings)
    objects.check()
    return objects
