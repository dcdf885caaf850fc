"""Production settings: refuse to start without secrets, pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_the_deployment_checks_in_production():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY="a-production-secret-key-that-is-long-and-random-0123456789-abcdef",
        ALLOWED_HOSTS="example.org",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/citydiplomacy",
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_it_refuses_to_start_in_production_without_a_secret_key():
    result = run_manage(
        "check",
        DJANGO_ENV="production",
        ALLOWED_HOSTS="example.org",
        SECRET_KEY="",
    )

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_rejects_an_unknown_environment_name():
    result = run_manage("check", DJANGO_ENV="staging")

    assert result.returncode != 0
    assert "DJANGO_ENV must be one of" in result.stderr


def test_it_runs_out_of_the_box_in_development_with_the_embedded_defaults():
    result = run_manage(
        "check",
        DJANGO_ENV="development",
        DATABASE_URL="sqlite:///:memory:",
        CELERY_BROKER_URL="",
        REDIS_URL="",
    )

    assert result.returncode == 0, result.stderr
    assert "tasks run in-process" in result.stderr


def test_the_compose_services_run_commands_that_exist():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]

    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("db", "redis", "web", "worker"):
        assert "healthcheck" in services[name], f"{name} has no healthcheck"
    # A worker (or anything else) that dies is started again.
    assert {name: s.get("restart") for name, s in services.items()} == dict.fromkeys(
        services, "unless-stopped"
    )
    for name in ("web", "worker", "beat"):
        service = services[name]
        assert service["build"] == "." or service.get("image")
        assert ".env" in str(service.get("env_file"))
        command = (
            " ".join(service["command"])
            if isinstance(service["command"], list)
            else service["command"]
        )
        if name == "web":
            assert "gunicorn citydiplomacy.wsgi" in command
            assert (ROOT / "citydiplomacy" / "wsgi.py").exists()
        else:
            assert f"celery -A citydiplomacy {name}" in command
            assert (ROOT / "citydiplomacy" / "celery.py").exists()
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "requirements.txt" in dockerfile
    assert "python:3.11" in dockerfile
    for variable in ("SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL"):
        assert variable in (ROOT / ".env.example").read_text()
