"""Shared fixtures: the demo zone is built once per test session (per xdist worker) through the real services."""

import pytest
from django.test import Client

from hongyin.devtools.sessions import login_as


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)
        from hongyin.devtools.demo import build_zone

        build_zone(scale="demo", seed=1)


@pytest.fixture
def demo(db):
    """The demo zone's key objects, looked up (cheap) inside the test's transaction."""
    from hongyin.devtools.demo import lookup_zone

    return lookup_zone()


@pytest.fixture
def as_user(db, client):
    def _as(username: str) -> Client:
        return login_as(Client(), username)

    return _as
