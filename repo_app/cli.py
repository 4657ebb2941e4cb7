"""The ``pactum`` command line. Every command has ``--help``.

Besides its own commands, ``pactum`` offers those that installed packages declare in the
``pactum.commands`` entry-point group (setup.cfg: ``demo = demo.cli:command``), so that tools
outside the app, such as the demo data, add commands without the app importing them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING, Any, NoReturn

import click
from flask import Flask

from storage import StorageConfigError

from . import create_app
from .auth.roles import Role
from .core import uow
from .core.errors import PactumError
from .core.settings import ConfigError
from .migrations_runner import SchemaOutOfDate

if TYPE_CHECKING:
    from .audit.anchors import AnchorReport


def _fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


@contextmanager
def app_context(check_schema: bool = True) -> Iterator[Flask]:
    """An app context, turning configuration and schema problems into one-sentence errors. The
    command is one unit of work: committed when it ends without an error, else rolled back."""
    try:
        app = create_app({"check_schema": check_schema})
    except (ConfigError, StorageConfigError, SchemaOutOfDate) as error:
        _fail(str(error), 2)
    with app.app_context():
        try:
            yield app
        except PactumError as error:
            uow.rollback()
            _fail(error.message)
        except BaseException:
            uow.rollback()
            raise
        uow.commit()


#: The entry-point group whose commands ``pactum`` offers besides its own.
COMMAND_ENTRY_POINTS = "pactum.commands"


def _declared_commands() -> Iterable[EntryPoint]:
    return entry_points(group=COMMAND_ENTRY_POINTS)


class CommandGroup(click.Group):
    """A group whose commands are its own plus those declared as entry points.

    A declared command is imported only when it is run or listed (``--help``): a heavy one never
    slows down the others, and one that cannot be imported fails alone, with a sentence naming
    it. Declaring a command under a built-in command's name is an error for every command.
    ``declared`` lists the entry points (tests pass their own).
    """

    def __init__(
        self, *args: Any, declared: Callable[[], Iterable[EntryPoint]] = _declared_commands, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._declared = declared

    def _entry_points(self) -> dict[str, EntryPoint]:
        declared = {entry_point.name: entry_point for entry_point in self._declared()}
        clashes = sorted(declared.keys() & self.commands.keys())
        if clashes:
            raise click.ClickException(
                f"{COMMAND_ENTRY_POINTS} entry points may not replace built-in commands: {clashes}"
            )
        return declared

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self._entry_points()])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry_point = self._entry_points().get(cmd_name)
        return super().get_command(ctx, cmd_name) if entry_point is None else load_command(entry_point)


def load_command(entry_point: EntryPoint) -> click.Command:
    """The click command an entry point names; a sentence naming it when it cannot be loaded."""
    try:
        command = entry_point.load()
    except (ImportError, AttributeError) as error:
        raise click.ClickException(
            f"The command {entry_point.name!r} ({entry_point.value}) cannot be loaded: {error}"
        ) from error
    if not isinstance(command, click.Command):
        raise click.ClickException(f"The command {entry_point.name!r} ({entry_point.value}) is not a click command.")
    return command


@click.group(cls=CommandGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Pactum contract repository (合同管理系统)."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn worker processes.")
@click.option(
    "--worker/--no-worker",
    "embedded_worker",
    default=None,
    help="Also run the background worker (default: on with the embedded SQLite queue, "
    "off with Redis, where `pactum worker` runs separately).",
)
def serve(host: str, port: int, workers: int, embedded_worker: bool | None) -> None:
    """Serve the web app and API with gunicorn."""
    from gunicorn.app.base import BaseApplication

    from .core.extensions import settings
    from .core.jobs.recovery import remove_stale_uploads

    with app_context():
        # fail early, in this process, on configuration or schema problems
        if embedded_worker is None:
            embedded_worker = not settings().queue_url
        remove_stale_uploads()  # what a killed server left in the blob store's temp folder
        worker_timeout = gunicorn_timeout(settings().request_timeout_seconds)

    class _Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", 4)
            self.cfg.set("timeout", worker_timeout)
            self.cfg.set("accesslog", "-")

        def load(self) -> Any:
            return create_app()

    _hide_server_software()
    click.echo(f"Pactum listening on http://{host}:{port}/")
    worker_process = _start_embedded_worker() if embedded_worker else None
    try:
        _Server().run()
    finally:
        if worker_process is not None:
            worker_process.terminate()
            worker_process.wait(timeout=30)


def _hide_server_software() -> None:
    """Answer ``Server: Pactum`` instead of ``Server: gunicorn``: naming the HTTP server only
    helps an attacker pick exploits. gunicorn has no setting for the header; each response
    reads the name from this module attribute, and the workers forked later inherit it."""
    import gunicorn.http.wsgi

    gunicorn.http.wsgi.SERVER = "Pactum"


#: Seconds gunicorn waits beyond the request limit before it kills a worker that stopped answering.
GUNICORN_GRACE_SECONDS = 30


def gunicorn_timeout(request_timeout_seconds: int) -> int:
    """gunicorn's worker timeout: a backstop behind the cooperative request deadline (see
    ``core/deadline.py``); 0 (no request limit) keeps gunicorn's own from going off either."""
    return request_timeout_seconds + GUNICORN_GRACE_SECONDS if request_timeout_seconds else 0


@main.command()
@click.option("--threads", type=int, default=None, help="Worker threads (default: PACTUM_WORKER_THREADS).")
def worker(threads: int | None) -> None:
    """Run background jobs: text extraction, OCR, indexing, reminders."""
    from .core.extensions import settings
    from .core.jobs.worker import run_worker

    with app_context() as app:
        if settings().worker_niceness > 0:
            os.nice(settings().worker_niceness)
        run_worker(app, threads or settings().worker_threads)


@main.command()
@click.option("--batch-size", default=200, show_default=True, help="Contracts per batch.")
@click.option(
    "--in-place", is_flag=True, help="Update the live index batch by batch instead of building a new one and swapping."
)
@click.option("--resume", is_flag=True, help="With --in-place: continue after the last finished batch.")
def reindex(batch_size: int, in_place: bool, resume: bool) -> None:
    """Rebuild the search index from the database (the index is derived data)."""
    from .search.reindex import rebuild_index

    if resume and not in_place:
        _fail("--resume goes with --in-place.")
    with app_context():
        done = rebuild_index(batch_size=batch_size, in_place=in_place, resume=resume, progress=_progress)
    click.echo(f"Indexed {done} contracts.")


@main.command()
@click.option("--retry-failed", is_flag=True, help="Also versions whose document LibreOffice could not convert before.")
def renditions(retry_failed: bool) -> None:
    """Queue the versions (Word, ODT, RTF, DOC) that have no PDF preview yet for processing."""
    from .search.pipeline import queue_processing
    from .search.renditions import versions_missing_renditions

    with app_context():
        versions = versions_missing_renditions(retry_failed=retry_failed)
        for version in versions:
            queue_processing(version)
    click.echo(f"Queued {len(versions)} versions for their PDF preview.")


def _progress(total: int) -> Any:
    return click.progressbar(length=total, label="Indexing", show_pos=True, show_eta=True, file=sys.stderr)


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database schema to the current version."""
    from .migrations_runner import current_revision, head_revision, upgrade

    with app_context(check_schema=False):
        before = current_revision()
        upgrade()
        click.echo(f"Database schema at {head_revision()} (was {before or 'empty'}).")


def _start_embedded_worker() -> subprocess.Popen[bytes]:
    """The embedded mode's worker: ``pactum worker`` as a child of ``pactum serve``.

    On Linux the worker is told to stop when ``pactum serve`` dies, even by SIGKILL, so that a
    restarted server never runs beside an orphaned worker of the killed one.
    """
    return subprocess.Popen([sys.executable, "-m", "repo_app.cli", "worker"], preexec_fn=_stop_with_parent)


def _stop_with_parent() -> None:
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        set_parent_death_signal = 1  # PR_SET_PDEATHSIG
        ctypes.CDLL(None, use_errno=True).prctl(set_parent_death_signal, signal.SIGTERM)


@main.group()
def audit() -> None:
    """The tamper-evident audit trail."""


@audit.command("verify")
def audit_verify() -> None:
    """Walk the hash chain and check every anchor; exit 1 naming what is broken."""
    from .audit.anchors import verify_anchors
    from .core.audit.chain import verify

    with app_context():
        checked, problem = verify()
        anchors = verify_anchors()
        if problem is not None:
            click.echo(f"BROKEN after {checked} intact events: {problem.message}", err=True)
        else:
            click.echo(f"OK: {checked} events, chain intact.")
        _report_anchors(anchors)
    if problem is not None or anchors.problems:
        sys.exit(1)


def _report_anchors(report: AnchorReport) -> None:
    from flask_babel import gettext as _
    from flask_babel import ngettext

    for note in report.notes:
        click.echo(_("Note: %(note)s", note=note), err=True)
    for broken in report.problems:
        click.echo(_("BROKEN anchor: %(message)s", message=broken.message), err=True)
    if report.checked and not report.problems:
        click.echo(
            ngettext(
                "OK: %(num)d anchor, it timestamps a link of the chain.",
                "OK: %(num)d anchors, each timestamps a link of the chain.",
                report.checked,
            )
        )


@audit.command("anchor")
def audit_anchor() -> None:
    """Timestamp the chain's head with the timestamp authority (PACTUM_TSA_URL) and store the token."""
    from flask_babel import gettext as _

    from .audit.anchors import anchor_head

    with app_context():
        anchor = anchor_head()
        click.echo(
            _(
                "Anchored event #%(seq)d (hash %(hash)s…) at %(time)s UTC, timestamped by %(tsa)s.",
                seq=anchor.seq,
                hash=anchor.hash[:16],
                time=f"{anchor.timestamped_at:%Y-%m-%d %H:%M:%S}",
                tsa=anchor.tsa_url,
            )
        )


@main.group()
def ca() -> None:
    """The internal certificate authority that issues users' signing certificates."""


@ca.command("init")
def ca_init() -> None:
    """Create the internal CA (keys encrypted in the data folder) and the organisation's certificate."""
    from .signing.keys import ca_folder, ca_is_initialised, init_ca

    with app_context():
        if ca_is_initialised():
            _fail(f"A CA exists already in {ca_folder()}.")
        authority = init_ca()
        click.echo(f"Internal CA created in {ca_folder()}: {authority.root_certificate.subject.rfc4514_string()}")


@ca.command("issue")
@click.argument("email")
def ca_issue(email: str) -> None:
    """Issue (or re-issue) a signing certificate for the user EMAIL."""
    from .auth.services import get_user_by_email
    from .signing.keys import internal_ca, issue_certificate

    with app_context():
        user = get_user_by_email(email)
        if user is None:
            _fail(f"No user with the e-mail {email}.")
        issued = issue_certificate(internal_ca(), user.email, user.display_name)
        click.echo(f"Issued {issued.cert.subject.rfc4514_string()} (serial {issued.cert.serial_number:X}).")


@ca.command("revoke")
@click.argument("email")
@click.option("--reason", default="unspecified", show_default=True, help="RFC 5280 reason, e.g. key_compromise.")
def ca_revoke(email: str, reason: str) -> None:
    """Revoke the certificate of EMAIL and publish a new CRL (audited; the next signature re-issues)."""
    from .signing.revocation import REASONS, revoke_as_operator

    if reason not in REASONS:
        _fail(f"Unknown reason {reason!r}; use one of {', '.join(REASONS)}.")
    with app_context():
        row = revoke_as_operator(email.strip().lower(), reason)
        if row is None:
            _fail(f"No unrevoked certificate of the internal CA for {email}.")
        click.echo(f"Revoked serial {row.serial.upper()} ({reason}); new CRL published.")


@main.group()
def users() -> None:
    """User accounts."""


@users.command("create")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    default=Role.VIEWER.value,
    show_default=True,
)
@click.option("--name", "display_name", help="Display name (defaults to the e-mail's local part).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_create(email: str, role: str, display_name: str | None, password_stdin: bool) -> None:
    """Create a user; the password is prompted for unless --password-stdin is given."""
    from .auth.services import create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with app_context():
        user = create_user(email, password, role, display_name)
        click.echo(f"Created {user.email} ({user.role}).")


@main.group()
def tokens() -> None:
    """Personal API tokens."""


@tokens.command("create")
@click.argument("email")
@click.option("--name", default="CLI token", show_default=True, help="A name to recognise it by.")
def tokens_create(email: str, name: str) -> None:
    """Create an API token for EMAIL and print only the token."""
    from .auth.services import create_token, get_user_by_email

    with app_context():
        user = get_user_by_email(email)
        if user is None:
            _fail(f"No user with the e-mail {email}.")
        _token, secret = create_token(user, name)
        click.echo(secret)


if __name__ == "__main__":
    main()


@main.group()
def templates() -> None:
    """Contract templates and the clause library (docs/templates.md)."""


@templates.command("load-starter")
@click.option("--as", "email", help="The account the templates are created by (default: the first active admin).")
def templates_load_starter(email: str | None) -> None:
    """Load the standard clauses and the starter templates (published; idempotent)."""
    from sqlalchemy import select

    from .auth.models import User
    from .auth.roles import Role
    from .core.extensions import db
    from .drafting.starter import load_starter

    with app_context():
        query = select(User).where(User.active.is_(True))
        query = query.where(User.email == email) if email else query.where(User.role == Role.ADMIN).order_by(User.id)
        user = db.session.scalars(query).first()
        if user is None:
            _fail(f"No active account {email}." if email else "No active administrator: create one first.")
        report = load_starter(user)
    click.echo(
        f"Starter library: {report.created} templates loaded, {report.skipped} already present; "
        f"{report.clauses} clauses added."
    )
