"""The production build and start-up: collectstatic under production settings, vendored assets without dangling
source maps, and one start-up script that the Dockerfile, docker-compose.yml, the Makefile and the smoke test
all call."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import yaml

from tests.faults import processes

ROOT = Path(__file__).resolve().parents[2]
SERVE = "scripts/serve-production"


def test_no_static_file_refers_to_a_source_map_that_is_not_shipped():
    dangling = []
    for path in (ROOT / "static").rglob("*"):
        if path.suffix not in {".js", ".css"}:
            continue
        for ref in re.findall(r"sourceMappingURL=([^\s*]+)", path.read_text(errors="replace")):
            if not ref.startswith("data:") and not (path.parent / ref).exists():
                dangling.append(f"{path.relative_to(ROOT)} -> {ref}")
    assert dangling == []


def test_collectstatic_with_production_settings_writes_the_manifest(tmp_path):
    env = processes.production_env(STATIC_ROOT=str(tmp_path / "static"))
    result = subprocess.run(
        [str(ROOT / SERVE), "collectstatic"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    for name in ("vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap/bootstrap.bundle.min.js", "css/app.css"):
        hashed = manifest[name]
        assert hashed != name and (tmp_path / "static" / hashed).exists()
        assert (tmp_path / "static" / f"{hashed}.gz").exists()  # compressed for whitenoise


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_docker_compose_services_start_through_serve_production():
    services = _compose()["services"]
    for service in ("migrate", "web", "worker", "beat"):
        assert services[service]["command"] == [SERVE, service], service
        # the shared x-app block: production settings and the same image
        assert services[service]["environment"]["DJANGO_ENV"] == "production"
        assert services[service]["build"] == "."
    assert services["web"]["environment"]["GUNICORN_WORKERS"] == "${GUNICORN_WORKERS:-3}"
    assert services["migrate"]["restart"] == "no"
    for service in ("web", "worker", "beat"):
        assert services[service]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_dockerfile_starts_web_through_serve_production_and_ships_the_postgresql_client():
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.M)
    assert cmd and json.loads(cmd.group(1)) == [SERVE, "web"]
    assert f"{SERVE} collectstatic" in dockerfile
    apt = re.search(r"apt-get install[^\n]*", dockerfile).group(0)
    assert "postgresql-client" in apt.split()
    assert "ENTRYPOINT" not in dockerfile  # `docker compose run web python manage.py …` must keep working


def test_makefile_and_smoke_test_use_serve_production():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("worker", "beat"):
        recipe = re.search(rf"^{target}:.*\n\t(.+)$", makefile, re.M).group(1)
        assert f"{SERVE} {target}" in recipe
    assert re.search(r"^smoke:.*\n\t.*scripts/smoke-production", makefile, re.M)
    smoke = (ROOT / "scripts/smoke-production").read_text()
    assert "scripts/serve-production migrate" in smoke
    assert "scripts/serve-production collectstatic" in smoke
    for service in ("web", "worker", "beat"):
        assert re.search(rf"^background {service} {service}$", smoke, re.M), service
    ci = (ROOT / ".ci/run").read_text()
    assert "make smoke" in ci


def test_serve_production_rejects_an_unknown_command():
    assert subprocess.run(["bash", "-n", str(ROOT / SERVE)], timeout=30).returncode == 0
    result = subprocess.run([str(ROOT / SERVE), "nonsense"], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "usage:" in result.stderr
