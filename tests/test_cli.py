from __future__ import annotations

import configparser
from importlib.metadata import EntryPoint
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from repo_app.cli import COMMAND_ENTRY_POINTS, CommandGroup, main

ROOT = Path(__file__).resolve().parent.parent


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
        if isinstance(command, click.Group):
            context = click.Context(command)
            for name in command.list_commands(context):
                sub = command.get_command(context, name)
                assert sub is not None, name
                walk(sub, path + [name])

    walk(main, [])


# ------------------------------------------------------- commands from entry points


@click.command()
def hello() -> None:
    """Say hello (a command declared as an entry point by a test)."""
    click.echo("hello from an entry point")


def _group_declaring(*declared: tuple[str, str]) -> CommandGroup:
    @click.group(cls=CommandGroup, declared=lambda: [EntryPoint(n, v, COMMAND_ENTRY_POINTS) for n, v in declared])
    def group() -> None:
        """A group like ``pactum``."""

    @group.command()
    def builtin() -> None:
        click.echo("built in")

    return group


def test_a_declared_command_is_offered_and_runs() -> None:
    group = _group_declaring(("hello", "tests.test_cli:hello"))
    listed = CliRunner().invoke(group, ["--help"])
    assert listed.exit_code == 0 and "builtin" in listed.output and "Say hello" in listed.output
    result = CliRunner().invoke(group, ["hello"])
    assert result.exit_code == 0 and result.output == "hello from an entry point\n"


def test_a_broken_declared_command_fails_only_itself_with_a_sentence() -> None:
    group = _group_declaring(("broken", "tests.no_such_module:command"), ("nothing", "tests.test_cli:ROOT"))
    assert CliRunner().invoke(group, ["builtin"]).output == "built in\n"  # never loaded
    broken = CliRunner().invoke(group, ["broken"])
    assert broken.exit_code == 1
    assert "The command 'broken' (tests.no_such_module:command) cannot be loaded" in broken.output
    nothing = CliRunner().invoke(group, ["nothing"])
    assert nothing.exit_code == 1 and "is not a click command" in nothing.output


def test_a_declared_command_may_not_replace_a_built_in_one() -> None:
    group = _group_declaring(("builtin", "tests.test_cli:hello"))
    result = CliRunner().invoke(group, ["builtin"])
    assert result.exit_code == 1 and "may not replace built-in commands: ['builtin']" in result.output


def test_setup_cfg_declares_pactum_demo() -> None:
    setup = configparser.ConfigParser()
    setup.read(ROOT / "setup.cfg", encoding="utf-8")
    lines = setup["options.entry_points"][COMMAND_ENTRY_POINTS].strip().splitlines()
    pairs = [[part.strip() for part in line.split("=")] for line in lines]
    declared = [EntryPoint(name, value, COMMAND_ENTRY_POINTS) for name, value in pairs]
    assert [(entry_point.name, entry_point.value) for entry_point in declared] == [("demo", "demo.cli:command")]
    assert isinstance(declared[0].load(), click.Command)


def test_the_installed_pactum_offers_demo() -> None:
    """Entry points come from the installed package's metadata: after changing them in setup.cfg,
    reinstall (scripts/bootstrap.sh does when setup.cfg changes)."""
    command = main.get_command(click.Context(main), "demo")
    assert command is not None, "pactum demo is not declared by the installed metadata: pip install -e ."
    assert command.callback is not None and command.callback.__module__ == "demo.cli"


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
