"""Shared fixtures: the demo zone, built once through the real services into a template database and cloned for
each test process (hongyin/devtools/testdb.py; kept between runs while the sources that shape it are unchanged)."""

import pytest
from django.test import Client

from hongyin.devtools.sessions import login_as


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    from hongyin.devtools.testdb import setup_test_database, teardown_test_database

    reporter = request.config.pluginmanager.get_plugin("terminalreporter")

    def log(line: str) -> None:
        if reporter is not None:
            reporter.write_line(line)

    with django_db_blocker.unblock():
        old_config = setup_test_database(log=log)
    yield
    with django_db_blocker.unblock():
        teardown_test_database(old_config)


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
