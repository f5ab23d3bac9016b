"""The `baton` command as an operator uses it: migrations, users, and refusing to serve without a secret."""

import os
import subprocess
import sys
from pathlib import Path

BATON = str(Path(sys.executable).with_name("baton"))


def run(args, env, timeout=60):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("BATON_")}
    full_env.update(env)
    return subprocess.run([BATON, *args], env=full_env, capture_output=True, text=True, timeout=timeout)


def test_db_upgrade_then_users_create_then_the_user_can_sign_in(tmp_path):
    env = {"BATON_DATABASE_URL": f"sqlite:///{tmp_path / 'ops.db'}"}
    upgraded = run(["db", "upgrade"], env)
    assert upgraded.returncode == 0, upgraded.stderr
    created = run(
        [
            "users",
            "create",
            "--username",
            "rosa",
            "--password",
            "rosa-pass-1",
            "--role",
            "picker",
            "--badge",
            "B-ROSA",
            "--pin",
            "1357",
        ],
        env,
    )
    assert created.returncode == 0, created.stderr
    assert "Created picker rosa" in created.stdout

    duplicate = run(
        ["users", "create", "--username", "rosa", "--password", "rosa-pass-1", "--role", "picker"], env
    )
    assert duplicate.returncode != 0
    assert "already exists" in duplicate.stderr

    from baton.app import create_app
    from baton.config import Settings

    app = create_app(Settings.from_env({**env, "BATON_ENV": "test", "BATON_SECRET_KEY": "k" * 40}))
    response = app.test_client().post("/api/v1/auth/login", json={"badge": "B-ROSA", "pin": "1357"})
    assert response.status_code == 200


def test_users_create_rejects_an_unknown_role(tmp_path):
    env = {"BATON_DATABASE_URL": f"sqlite:///{tmp_path / 'ops.db'}"}
    result = run(["users", "create", "--username", "x", "--password", "long-pass-1", "--role", "boss"], env)
    assert result.returncode == 2
    assert "boss" in result.stderr


def test_serve_refuses_to_start_in_production_without_a_secret(tmp_path):
    env = {"BATON_DATABASE_URL": f"sqlite:///{tmp_path / 'ops.db'}", "BATON_ENV": "production"}
    result = run(["serve", "--port", "0"], env, timeout=30)
    assert result.returncode != 0
    assert "BATON_SECRET_KEY is not set" in result.stderr


def test_auto_migrate_creates_the_schema_on_start(tmp_path):
    from baton.app import create_app
    from baton.config import Settings

    database = tmp_path / "auto.db"
    app = create_app(
        Settings.from_env(
            {
                "BATON_DATABASE_URL": f"sqlite:///{database}",
                "BATON_ENV": "test",
                "BATON_SECRET_KEY": "k" * 40,
                "BATON_AUTO_MIGRATE": "1",
            }
        )
    )
    response = app.test_client().post("/api/v1/auth/token", json={"username": "nobody", "password": "x"})
    assert response.status_code == 401  # the users table exists; nobody is in it


def test_migrations_describe_exactly_the_models(tmp_path):
    env = {"BATON_DATABASE_URL": f"sqlite:///{tmp_path / 'check.db'}"}
    assert run(["db", "upgrade"], env).returncode == 0
    check = run(["db", "check"], env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr


def test_baton_import_suppliers_checks_every_row_then_imports_all_or_nothing(tmp_path):
    env = {"BATON_DATABASE_URL": f"sqlite:///{tmp_path / 'supply.db'}"}
    assert run(["db", "upgrade"], env).returncode == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("name,email,lead_time_days\nMalabar Mills,po@malabar.example,14\nKerala,nope,soon\n")
    refused = run(["import", "suppliers", str(bad)], env)
    assert refused.returncode == 1
    assert "row 3: email" in refused.stderr and "row 3: lead_time_days" in refused.stderr
    good = tmp_path / "good.csv"
    good.write_text("name,email,lead_time_days\nMalabar Mills,po@malabar.example,14\n")
    assert "would import 1 suppliers" in run(["import", "suppliers", str(good), "--dry-run"], env).stdout
    assert "Imported 1 suppliers (0 already there)" in run(["import", "suppliers", str(good)], env).stdout
    assert "Imported 0 suppliers (1 already there)" in run(["import", "suppliers", str(good)], env).stdout
