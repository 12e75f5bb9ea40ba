import pytest

from tests.evaluation.factories import experts, project, templates  # noqa: F401


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The factories hash 'Test@12345' for every user; a fast hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
