from __future__ import annotations

from flask import Blueprint

from . import views

bp = Blueprint("drafting", __name__)

bp.add_url_rule("/templates", view_func=views.templates, methods=["GET"])
bp.add_url_rule("/templates/new", view_func=views.new_template, methods=["GET", "POST"])
bp.add_url_rule("/templates/<int:template_id>", view_func=views.template, methods=["GET"])
bp.add_url_rule("/templates/<int:template_id>/details", view_func=views.details, methods=["POST"])
bp.add_url_rule("/templates/<int:template_id>/file", view_func=views.upload_file, methods=["POST"])
bp.add_url_rule("/templates/<int:template_id>/variables", view_func=views.variables, methods=["POST"])
bp.add_url_rule("/templates/<int:template_id>/publish", view_func=views.publish, methods=["POST"])
bp.add_url_rule("/templates/<int:template_id>/retire", view_func=views.retire, methods=["POST"])
bp.add_url_rule("/templates/<int:template_id>/versions/<int:number>/file", view_func=views.version_file)
bp.add_url_rule("/templates/<int:template_id>/versions/<int:number>/sample.docx", view_func=views.sample)
bp.add_url_rule("/templates/<int:template_id>/versions/<int:number>/preview.pdf", view_func=views.preview)
bp.add_url_rule("/templates/<int:template_id>/draft", view_func=views.draft, methods=["GET", "POST"])
bp.add_url_rule("/clauses", view_func=views.clauses, methods=["GET", "POST"])
bp.add_url_rule(
    "/contracts/<int:contract_id>/versions/<int:number>/save-as-template",
    view_func=views.save_as_template,
    methods=["GET", "POST"],
)
bp.add_url_rule("/templates/<int:template_id>/bulk", view_func=views.bulk, methods=["GET", "POST"])
