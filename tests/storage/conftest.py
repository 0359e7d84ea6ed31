"""A real S3 API on loopback: moto in server mode, spoken to over HTTP by boto3."""

import uuid

import boto3
import environ
import pytest
from moto.server import ThreadedMotoServer

from tiess.storage import default_storage_setting


@pytest.fixture(scope="session")
def s3_endpoint():
    """The address of an S3 server on 127.0.0.1 (a free port), for the whole session."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint, settings, monkeypatch, media_root):
    """A fresh private bucket, made the app's file storage through the same environment
    variables as in production (FILE_STORAGE=s3, AWS_*). Returns a boto3 client and the name."""
    bucket = f"tiess-{uuid.uuid4().hex[:12]}"
    variables = {
        "FILE_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": "ca-central-1",
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_ACCESS_KEY_ID": "tests-only",
        "AWS_SECRET_ACCESS_KEY": "tests-only-secret",
    }
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="ca-central-1",
        aws_access_key_id="tests-only",
        aws_secret_access_key="tests-only-secret",
    )
    client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "ca-central-1"}
    )
    settings.STORAGES = {**settings.STORAGES, "default": default_storage_setting(environ.Env())}
    return client, bucket
