"""The contracts feature: pages, API handlers."""

from __future__ import annotations

from flask import Flask

from ..core import registry, results
from ..core.api import add_openapi_paths, add_route
from ..core.jobs.queue import job
from . import api, comparisons, custom_fields, field_api, field_openapi, openapi, result_views
from .blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_filter(custom_fields.display_text, "custom_field_text")
    app.add_template_global(custom_fields.department_names, "custom_field_departments")
    # a failure is kept as the result and shown to the user; running it again would fail again
    job(app, comparisons.JOB, retries=0)(comparisons.make_comparison)
    registry.add(app, results.KINDS, comparisons.RESULT_KIND)
    add_openapi_paths(app, openapi.paths)
    add_openapi_paths(app, field_openapi.paths)
    add_route(app, "/custom-fields", field_api.list_custom_fields, "GET")
    add_route(app, "/custom-fields", field_api.create_custom_field, "POST")
    add_route(app, "/custom-fields/<key>", field_api.update_custom_field, "PATCH")
    add_route(app, "/custom-fields/<key>/retire", field_api.retire_custom_field, "POST")
    add_route(app, "/contracts", api.list_contracts, "GET")
    add_route(app, "/contracts", api.create_contract, "POST")
    add_route(app, "/contracts/<int:contract_id>", api.get_contract, "GET")
    add_route(app, "/contracts/<int:contract_id>", api.update_contract, "PATCH")
    add_route(app, "/contracts/<int:contract_id>", api.delete_contract, "DELETE")
    add_route(app, "/contracts/<int:contract_id>/restore", api.restore_contract, "POST")
    add_route(app, "/contracts/<int:contract_id>/versions", api.create_version, "POST")
    add_route(app, "/contracts/<int:contract_id>/versions/<number>/file", api.version_file, "GET")
    add_route(app, "/contracts/<int:contract_id>/versions/<number>/preview.pdf", api.version_preview, "GET")
    add_route(app, "/contracts/<int:contract_id>/access", api.contract_access, "GET")
    add_route(app, "/contracts/<int:contract_id>/access", api.update_contract_access, "PUT")
    add_route(app, "/contracts/<int:contract_id>/versions/<number>/restore", api.restore_version, "POST")
    add_route(app, "/contracts/<int:contract_id>/versions/<old>/compare/<new>", api.compare_versions, "GET")
    add_route(app, "/contracts/<int:contract_id>/versions/<old>/compare/<new>/status", api.comparison_status, "GET")
    add_route(app, "/contracts/<int:contract_id>/lineage", api.contract_lineage, "GET")
    add_route(app, "/contracts/<int:contract_id>/parent", api.set_parent, "PUT")
    add_route(app, "/contracts/<int:contract_id>/legal-hold", api.legal_hold, "POST")
    add_route(app, "/contracts/<int:contract_id>/purge", api.purge_contract, "POST")
    add_route(app, "/results/<key>", result_views.result_state, "GET")
    add_route(app, "/results/<key>/file", result_views.result_download, "GET")
