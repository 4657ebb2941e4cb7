"""``pactum demo``: declared in setup.cfg as ``demo = demo.cli:command`` in the ``pactum.commands``
entry-point group, which the ``pactum`` command line loads (see :mod:`repo_app.cli`)."""

from __future__ import annotations

import click


@click.command("demo")
@click.option("--admin-email", default="admin@example.com", show_default=True)
@click.option(
    "--admin-password",
    envvar="PACTUM_DEMO_ADMIN_PASSWORD",
    help="Password for the demo admin (generated and printed when not given).",
)
def command(admin_email: str, admin_password: str | None) -> None:
    """Load the demo contracts (idempotent) and make sure a demo admin exists."""
    from repo_app.cli import app_context
    from repo_app.signing.keys import ca_is_initialised, init_ca

    from .loader import load_demo

    with app_context():
        if not ca_is_initialised():
            init_ca()  # so the demo admin can sign at once
            click.echo("Internal CA created (docs/signing.md).")
        report = load_demo(admin_email, admin_password)
        templates = _load_starter_templates(admin_email)
    click.echo(f"Demo contracts: {report.created} loaded, {report.skipped} already present.")
    click.echo("By status: " + ", ".join(f"{status} {count}" for status, count in sorted(report.statuses.items())))
    click.echo(f"Starter templates: {templates} loaded (pactum templates load-starter).")
    if report.admin_password:
        click.echo(f"Admin account: {admin_email} / {report.admin_password}")
    else:
        click.echo(f"Admin account: {admin_email} (existing password unchanged)")
    if report.finance_password:
        click.echo(f"Finance account: {report.finance_email} / {report.finance_password}")
    else:
        click.echo(f"Finance account: {report.finance_email} (existing password unchanged)")
    click.echo(f"Payment plans: {report.planned} demo contracts got one.")


def _load_starter_templates(admin_email: str) -> int:
    """The starter templates and clauses, created by the demo admin (already there: skipped)."""
    from sqlalchemy import select

    from repo_app.auth.models import User
    from repo_app.core.extensions import db
    from repo_app.drafting.starter import load_starter

    admin = db.session.scalars(select(User).where(User.email == admin_email)).one()
    return load_starter(admin).created
