from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from repo_app.cli import main


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    return {
        "LANG": "C.UTF-8",
        "PACTUM_DATA_DIR": str(tmp_path / "var"),
        "PACTUM_DATABASE_URL": database_url,
        "PACTUM_STORAGE_URL": f"file://{tmp_path / 'blobs'}",
    }


@pytest.fixture
def empty_env(tmp_path: Path) -> dict[str, str]:
    return {"LANG": "C.UTF-8", "PACTUM_DATA_DIR": str(tmp_path / "fresh")}


def run(env: dict[str, str], *args: str, stdin: str | None = None) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), env=env, input=stdin)


def test_every_command_has_help() -> None:
    def walk(command: click.Command, path: list[str]) -> None:
        result = CliRunner().invoke(main, path + ["--help"])
        assert result.exit_code == 0, path
        assert "Usage:" in result.output
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, path + [name])

    walk(main, [])


def test_fresh_database_refuses_to_start_until_upgraded(empty_env: dict[str, str]) -> None:
    refused = run(empty_env, "users", "create", "a@example.com", "--password-stdin", stdin="long password\n")
    assert refused.exit_code == 2
    assert "pactum db upgrade" in refused.output
    upgraded = run(empty_env, "db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert "was empty" in upgraded.output
    again = run(empty_env, "db", "upgrade")
    assert again.exit_code == 0 and "was empty" not in again.output
    created = run(
        empty_env, "users", "create", "a@example.com", "--role", "admin", "--password-stdin", stdin="long password\n"
    )
    assert created.exit_code == 0, created.output


def test_secret_key_is_generated_once_and_kept_private(empty_env: dict[str, str]) -> None:
    run(empty_env, "db", "upgrade")
    key_file = Path(empty_env["PACTUM_DATA_DIR"]) / "secret_key"
    first = key_file.read_text()
    run(empty_env, "db", "upgrade")
    assert key_file.read_text() == first and len(first) >= 40
    assert key_file.stat().st_mode & 0o077 == 0


def test_users_and_tokens(env: dict[str, str]) -> None:
    created = run(
        env, "users", "create", "Ops@Example.com", "--role", "editor", "--password-stdin", stdin="a long password\n"
    )
    assert created.exit_code == 0 and "ops@example.com (editor)" in created.output
    duplicate = run(env, "users", "create", "ops@example.com", "--password-stdin", stdin="a long password\n")
    assert duplicate.exit_code == 1 and "exists already" in duplicate.output
    short = run(env, "users", "create", "x@example.com", "--password-stdin", stdin="short\n")
    assert short.exit_code == 1 and "at least" in short.output
    chinese = run({**env, "LANG": "zh_CN.UTF-8"}, "tokens", "create", "nobody@example.com")
    assert chinese.exit_code == 1 and "nobody@example.com" in chinese.output
    token = run(env, "tokens", "create", "ops@example.com")
    assert token.exit_code == 0
    assert token.output.strip().startswith("pt_") and len(token.output.strip().splitlines()) == 1
    missing = run(env, "tokens", "create", "nobody@example.com")
    assert missing.exit_code == 1 and "No user" in missing.output


def test_bad_configuration_is_a_sentence(env: dict[str, str]) -> None:
    result = run({**env, "PACTUM_MAX_UPLOAD_MB": "lots"}, "db", "upgrade")
    assert result.exit_code == 2
    assert "PACTUM_MAX_UPLOAD_MB must be a whole number" in result.output
    result = run({**env, "PACTUM_STORAGE_URL": "ftp://x"}, "db", "upgrade")
    assert result.exit_code == 2 and "ftp" in result.output


def test_demo_loads_a_dozen_contracts_once(env: dict[str, str]) -> None:
    first = run(env, "demo")
    assert first.exit_code == 0, first.output
    assert "12 loaded" in first.output and "Admin account: admin@example.com / " in first.output
    # Signed on paper and registered: the lifecycle has moved those past their dates on.
    by_status = dict(part.rsplit(" ", 1) for part in first.output.split("By status: ")[1].splitlines()[0].split(", "))
    assert set(by_status) >= {"in_force", "expired"} and sum(map(int, by_status.values())) == 12
    password = first.output.split("admin@example.com / ")[1].split()[0]
    again = run(env, "demo")
    assert "0 loaded, 12 already present" in again.output
    assert password in again.output  # the generated password is shown again, not replaced
