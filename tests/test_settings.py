"""Settings: embedded mode needs no environment; production refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE_ENV = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/root"), "PYTHONPATH": str(ROOT)}


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**BASE_ENV, **env}, capture_output=True, text=True, timeout=120
    )


SHOW = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings'); django.setup();"
    "from django.conf import settings as s;"
    "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.LANGUAGE_CODE, s.TIME_ZONE, s.USE_TZ, s.DEBUG)"
)


def test_embedded_mode_works_with_no_environment():
    result = run_python(SHOW)
    assert result.returncode == 0, result.stderr
    # SQLite through django-prometheus's wrapper of Django's backend (query metrics on /metrics, README)
    expected = ["django_prometheus.db.backends.sqlite3", "True", "zh-hans", "Asia/Shanghai", "True", "True"]
    assert result.stdout.split() == expected


def test_metrics_db_0_keeps_django_s_own_database_backend():
    result = run_python(SHOW, METRICS_DB="0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "django.db.backends.sqlite3"


def test_broker_url_switches_celery_off_eager():
    result = run_python(SHOW, CELERY_BROKER_URL="redis://127.0.0.1:6379/9")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "False"


def test_production_refuses_to_start_without_secret_key():
    result = run_python(SHOW, DJANGO_ENV="production", ALLOWED_HOSTS="jingpin.example.cn")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr


def test_debug_0_also_means_production():
    result = run_python(SHOW, DEBUG="0", ALLOWED_HOSTS="jingpin.example.cn")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_python(SHOW, DJANGO_ENV="production", SECRET_KEY="x" * 60)
    assert result.returncode != 0 and "ALLOWED_HOSTS" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t-" + "k" * 60 + "\n")
    code = SHOW.replace("print(", "print(s.SECRET_KEY[:7], ")
    result = run_python(code, DJANGO_ENV="production", SECRET_KEY_FILE=str(secret), ALLOWED_HOSTS="a.cn")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("s3cr3t-")


def test_check_deploy_prints_no_warning_in_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **BASE_ENV,
            "DJANGO_ENV": "production",
            "SECRET_KEY": "p" + "Xk3!vQ9#mZ2@rT7$wL5%nB8^" * 3,
            "ALLOWED_HOSTS": "jingpin.example.cn",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def test_the_test_suite_hashes_passwords_with_a_fast_hasher(db):
    """tests/conftest.py switches every test (and module-scoped seeds) to one fast hasher; production keeps PBKDF2."""
    from django.conf import settings

    from tests.factories import UserFactory

    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = UserFactory()
    assert user.password.startswith("md5$") and user.check_password("Test@12345")
    result = run_python(
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings'); django.setup();"
        "from django.contrib.auth.hashers import get_hasher; print(get_hasher().algorithm)"
    )
    assert result.stdout.strip() == "pbkdf2_sha256", result.stderr
