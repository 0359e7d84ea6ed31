import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Hash test passwords quickly: these tests log people in many times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
