"""Read-only work on a streaming replica: the router's choices, what runs inside replica_reads(), and a real
replica (its own clusters on their own ports, never the machine's server)."""

import shutil

import pytest
from django.db import connections

from bench import replica as pg
from core import db
from core.db import ReplicaRouter, read_alias, replica_reads
from projects.models import Project
from tests.conftest import api_client_for
from tests.projects_factories import ProjectFactory


@pytest.fixture
def with_replica(monkeypatch):
    """As if REPLICA_DATABASE_URL were set, outside the test's transaction."""
    monkeypatch.setattr(db, "replica_configured", lambda: True)
    monkeypatch.setattr(connections["default"], "in_atomic_block", False)


def test_reads_go_to_the_replica_only_inside_replica_reads(with_replica):
    router = ReplicaRouter()
    assert router.db_for_read(Project) == "default"
    with replica_reads():
        assert router.db_for_read(Project) == "replica"
        assert router.db_for_write(Project) == "default", "writes always go to the primary"
    assert router.db_for_read(Project) == "default"


def test_without_a_replica_or_inside_a_transaction_everything_uses_the_primary(monkeypatch):
    with replica_reads():
        assert read_alias() == "default"  # no REPLICA_DATABASE_URL in the tests' settings
    monkeypatch.setattr(db, "replica_configured", lambda: True)
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    with replica_reads():
        assert read_alias() == "default", "a transaction on the primary reads its own writes"


def test_only_the_primary_is_migrated():
    router = ReplicaRouter()
    assert router.allow_migrate("default", "projects") and not router.allow_migrate("replica", "projects")


class Spy:
    """A router in front of ReplicaRouter that notes whether each read was made inside replica_reads()."""

    seen: list = []

    def db_for_read(self, model, **hints):
        Spy.seen.append((model._meta.label, db._replica_reads.get()))
        return None


@pytest.fixture
def spy(settings):
    Spy.seen = []
    settings.DATABASE_ROUTERS = ["tests.core.test_replica.Spy", *settings.DATABASE_ROUTERS]
    return Spy


@pytest.mark.django_db
def test_list_endpoints_and_list_pages_read_inside_replica_reads(spy, city_admin, client):
    ProjectFactory.create_batch(2)
    api_client_for(city_admin).get("/api/v1/projects/")
    assert ("projects.Project", True) in spy.seen
    spy.seen.clear()
    client.force_login(city_admin)
    client.get("/projects/list/")
    assert ("projects.Project", True) in spy.seen
    assert ("sessions.Session", True) not in spy.seen, "signing in reads the primary (a new session is there)"
    assert ("accounts.User", True) not in spy.seen
    spy.seen.clear()
    project = Project.objects.first()
    api_client_for(city_admin).get(f"/api/v1/projects/{project.pk}/")
    assert ("projects.Project", True) not in spy.seen, "a detail (read before an edit) stays on the primary"


@pytest.mark.skipif(not pg.available() or not shutil.which("runuser"), reason="PostgreSQL server binaries needed")
def test_a_streaming_replica_of_our_own_serves_what_the_primary_wrote():
    with pg.StreamingPair() as pair:
        assert pair.primary_port not in (5432,) and pair.replica_port not in (5432,)
        primary = pair.connect()
        with primary.cursor() as cur:
            cur.execute("CREATE TABLE t (x int)")
            cur.execute("INSERT INTO t SELECT generate_series(1, 1000)")
        pair.wait_for_replay()
        replica = pair.connect(replica=True)
        with replica.cursor() as cur:
            cur.execute("SELECT pg_is_in_recovery(), count(*) FROM t")
            assert cur.fetchone() == (True, 1000)
            with pytest.raises(Exception, match="read-only"):
                cur.execute("INSERT INTO t VALUES (1)")
        replica.close()
        primary.close()
