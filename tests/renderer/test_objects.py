"""Uploaded files in S3-compatible object storage (renderer/objects.py), against a real S3
server on the loopback (moto's server mode, spoken to over HTTP by boto3), on SQLite and
PostgreSQL: the bytes go to the bucket and never to the database, every read checks the
SHA-256, a changed object is refused, replaced and purged files leave the bucket."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from renderer.app import create_app
from renderer.config import ConfigError, Settings, load
from renderer.objects import ObjectSettings, ObjectStore
from renderer.purge import purge
from renderer.store import Store, StoreError

from .citizen import PDF
from .test_app import DEMO, Citizen

boto3 = pytest.importorskip("boto3")


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_server: str) -> Iterator[tuple[ObjectSettings, Any]]:
    """A fresh bucket on the server, and a client to look inside it."""
    settings = ObjectSettings(endpoint_url=s3_server, bucket=f"ops-{secrets.token_hex(6)}",
                              region="eu-west-3", access_key_id="parcours",
                              secret_access_key="parcours-secret")
    client = boto3.client("s3", endpoint_url=s3_server, region_name=settings.region,
                          aws_access_key_id="parcours", aws_secret_access_key="parcours-secret")
    client.create_bucket(Bucket=settings.bucket,
                         CreateBucketConfiguration={"LocationConstraint": settings.region})
    yield settings, client


def keys(client: Any, bucket: str) -> list[str]:
    return [o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_bytes_in_the_bucket_checked_on_read_and_deleted(
        db_url: str, bucket: tuple[ObjectSettings, Any]) -> None:
    settings, client = bucket
    store = Store(db_url, objects=ObjectStore(settings))
    draft = store.create_draft("demo", store.save_journey_version("demo", "x", "d.yaml"), None)
    data = PDF + secrets.token_bytes(2000)
    stored = store.save_file(draft.id, "justificatif", "a.pdf", "application/pdf", data)
    key = f"{stored.id[:2]}/{stored.id}"
    assert keys(client, settings.bucket) == [key]
    assert client.get_object(Bucket=settings.bucket, Key=key)["Body"].read() == data
    row = store._one("SELECT data, path FROM files WHERE id = ?", (stored.id,))
    assert store.backend.blob(row[0]) == b"" and row[1] == "s3:" + key  # not in the database
    read = store.get_file(stored.id)
    assert read is not None and read.data == data
    # An object changed behind the server's back is refused, not served.
    client.put_object(Bucket=settings.bucket, Key=key, Body=data[:-1] + b"!")
    with pytest.raises(StoreError, match="checksum"):
        store.get_file(stored.id)
    # A store without the object storage cannot pretend to read it.
    with pytest.raises(StoreError, match="object storage"):
        Store(db_url).get_file(stored.id)
    assert store.delete_files(draft.id, [stored.id]) == 1
    assert keys(client, settings.bucket) == [] and store.get_file(stored.id) is None
    store.close()


def test_the_purge_deletes_the_objects(db_url: str,
                                       bucket: tuple[ObjectSettings, Any]) -> None:
    settings, client = bucket
    store = Store(db_url, objects=ObjectStore(settings))
    digest = store.save_journey_version("demo", "x", "d.yaml")
    for _ in range(3):
        draft = store.create_draft("demo", digest, None)
        store.save_file(draft.id, "justificatif", "a.pdf", "application/pdf", PDF)
    assert len(keys(client, settings.bucket)) == 3
    done = purge(store, at=datetime.now(UTC) + timedelta(days=31))
    assert done.drafts == 3 and done.files == 3
    assert keys(client, settings.bucket) == []
    store.close()


def test_a_citizen_uploads_to_the_bucket_configured_by_settings(
        tmp_path: Any, bucket: tuple[ObjectSettings, Any]) -> None:
    objects, client = bucket
    settings = load(env={
        "PARCOURS_DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
        "PARCOURS_S3_ENDPOINT_URL": objects.endpoint_url, "PARCOURS_S3_BUCKET": objects.bucket,
        "PARCOURS_S3_REGION": objects.region, "PARCOURS_S3_ACCESS_KEY_ID": "parcours",
        "PARCOURS_S3_SECRET_ACCESS_KEY": "parcours-secret", "PARCOURS_PURGE": "false"})
    app = create_app([DEMO], settings=settings)
    store: Store = app.state.parcours.store
    with TestClient(app) as client_app:
        citizen = Citizen(client_app)
        citizen.start()
        citizen.identity()
        page = citizen.post("/demo/q/details", {
            "_js": "1", "pieces": "2", "departement": "Ain", "besoins": "aide",
            "adresse-street": "1 rue A", "adresse-postcode": "75001",
            "adresse-commune": "Paris", "personnes-count": "1", "personnes-0-prenom": "A",
            "personnes-0-handicap": "no"},
            files={"justificatif": ("a.pdf", PDF + b"0" * 5000, "application/pdf")})
        assert page.status_code == 303
        assert citizen.post("/demo/check", {}).status_code == 303
    [key] = keys(client, objects.bucket)
    assert store.files_bytes() > 0 and not list((tmp_path / "p-files").glob("*/*"))
    sent = store._one("SELECT id FROM files")[0]
    assert key.endswith(sent) and store.get_file(sent) is not None


def test_settings_of_the_object_storage(s3_server: str) -> None:
    with pytest.raises(ConfigError, match="needs s3_bucket"):
        load(env={"PARCOURS_S3_ENDPOINT_URL": s3_server})
    with pytest.raises(ConfigError, match="go together"):
        load(env={"PARCOURS_S3_BUCKET": "b", "PARCOURS_S3_ACCESS_KEY_ID": "k"})
    assert Settings().objects() is None
    # A bucket that is not there stops the server at start, with the reason.
    missing = Settings(s3_endpoint_url=s3_server, s3_bucket="ops-no-such-bucket",
                       s3_access_key_id="k", s3_secret_access_key="s")
    with pytest.raises(StoreError, match="ops-no-such-bucket.*not reachable"):
        create_app([DEMO], settings=missing)
