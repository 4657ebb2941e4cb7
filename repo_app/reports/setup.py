"""The reports feature: the contract ledger export (XLSX, CSV, PDF; kept results made by a job)
and the home dashboard."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event

from ..core import registry, results
from ..core.api import add_openapi_paths, add_route
from ..core.extensions import db
from ..core.jobs.periodic import STEPS, Step
from ..core.jobs.queue import job
from . import api, builder_api, dashboard, openapi, schedule, services
from . import models as _models  # noqa: F401 - declares the dashboard's indexes on the metadata
from .blueprint import bp
from .field_columns import CustomFieldColumns
from .ledger import EXTRA_COLUMNS


def init_app(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", dashboard.index_hint, retval=True)
    app.register_blueprint(bp)
    registry.add(app, results.KINDS, services.LEDGER_KIND)
    registry.add(app, EXTRA_COLUMNS, CustomFieldColumns())
    # a failure is kept as the result and shown to the user; running it again would fail again
    job(app, services.EXPORT_JOB, retries=0)(services.make_export)
    add_openapi_paths(app, openapi.paths)
    add_route(app, "/reports/ledger", api.ledger_export, "GET")
    add_route(app, "/reports/dashboard", api.dashboard_figures, "GET")
    add_route(app, "/reports/run", builder_api.run_report, "POST")
    add_route(app, "/reports/saved", builder_api.saved_reports, "GET")
    add_route(app, "/reports/saved", builder_api.create_saved_report, "POST")
    add_route(app, "/reports/saved/<int:report_id>", builder_api.saved_report, "GET")
    add_route(app, "/reports/saved/<int:report_id>", builder_api.update_saved_report, "PUT")
    add_route(app, "/reports/saved/<int:report_id>", builder_api.delete_saved_report, "DELETE")
    add_route(app, "/reports/saved/<int:report_id>/run", builder_api.run_saved_report, "GET")
    # after the digests (rank 40): a report e-mail is a sending step
    registry.add(app, STEPS, Step("scheduled_reports", schedule.send_scheduled_reports, rank=45))
