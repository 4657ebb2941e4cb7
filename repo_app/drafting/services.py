"""Templates, the clause library and drafting. Each operation checks the user's permission,
changes the session, records an audit event and flushes; the unit of work commits.

Who may do what: everyone who may create contracts sees the templates of their department
(and its parents) and those of no department, and drafts from their published versions;
``template.manage`` (administrators, managers, editors) uploads, edits, publishes and retires
them, and keeps the clause library.
"""

from __future__ import annotations

import io
import re
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import func, or_, select

from indexer.render import ConverterMissing, RenderDisabled, RenderFailed, RenderOptions, render_pdf
from storage import StoredBlob

from ..auth.models import User
from ..auth.roles import Permission, Role
from ..contracts import access
from ..contracts import services as contracts
from ..contracts.models import Contract, ContractType, Counterparty, Department
from ..contracts.schemas import ContractMetadata
from ..core import clock
from ..core.audit import record
from ..core.errors import Conflict, NotFound, ServiceUnavailable, ValidationFailed
from ..core.extensions import blob_store, db, settings
from . import engine, schemas
from .models import Clause, DraftedContract, Template, TemplateVersion, VersionState

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ORIGIN = "drafted"


# --- who sees what --------------------------------------------------------------------------------


def visible_templates(user: User, *, include_retired: bool = False) -> list[Template]:
    """The templates ``user`` may see, by name."""
    access.require(user, Permission.CONTRACT_CREATE)
    query = select(Template).order_by(Template.name)
    if user.role != Role.ADMIN:
        departments = access.ancestors_or_self(user.department)
        query = query.where(or_(Template.department_id.is_(None), Template.department_id.in_(departments)))
    if not include_retired:
        query = query.where(Template.retired_at.is_(None))
    return list(db.session.scalars(query).unique())


def get_template(user: User, template_id: int, *, manage: bool = False) -> Template:
    """The template if ``user`` may see it (404 otherwise) and, with ``manage``, manage it (403)."""
    template = db.session.get(Template, template_id)
    if template is None or not user.can(Permission.CONTRACT_CREATE) or not _sees(user, template):
        raise NotFound(_("No such template."))
    if manage:
        access.require(user, Permission.TEMPLATE_MANAGE)
    return template


def _sees(user: User, template: Template) -> bool:
    if user.role == Role.ADMIN or template.department_id is None:
        return True
    return template.department_id in access.ancestors_or_self(user.department)


# --- templates --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateFields:
    """What the author says about a template besides its file."""

    name: str
    contract_type: str | None = None
    department: str | None = None
    language: str = "zh"
    description: str | None = None


def create_template(
    user: User, fields: TemplateFields, data: bytes, filename: str, *, starter_key: str | None = None
) -> Template:
    access.require(user, Permission.TEMPLATE_MANAGE)
    template = Template(starter_key=starter_key, created_by_id=user.id)
    _apply_fields(template, fields)
    db.session.add(template)
    version = _new_version(user, template, data, filename, previous=[])
    db.session.flush()
    record("template.create", actor=user, name=template.name, template_id=template.id, version=version.number)
    return template


def update_template(user: User, template: Template, fields: TemplateFields) -> None:
    access.require(user, Permission.TEMPLATE_MANAGE)
    _apply_fields(template, fields)
    db.session.flush()
    record("template.update", actor=user, name=template.name, template_id=template.id)


def _apply_fields(template: Template, fields: TemplateFields) -> None:
    name = (fields.name or "").strip()
    if not name:
        raise ValidationFailed(_("A template needs a name."), field="name")
    clash = db.session.scalar(select(Template).where(Template.name == name, Template.id != template.id))
    if clash is not None:
        raise Conflict(_("A template named %(name)s exists already.", name=name))
    if fields.language not in ("zh", "en"):
        raise ValidationFailed(_("The language is zh or en."), field="language")
    if fields.contract_type and db.session.get(ContractType, fields.contract_type) is None:
        raise ValidationFailed(_("Unknown contract type %(code)s.", code=fields.contract_type), field="contract_type")
    department = None
    if fields.department:
        department = db.session.scalar(select(Department).where(Department.name == fields.department))
        if department is None:
            raise ValidationFailed(_("Unknown department %(name)s.", name=fields.department), field="department")
    template.name = name
    template.language = fields.language
    template.contract_type_code = fields.contract_type or None
    template.department = department
    template.description = (fields.description or "").strip() or None


def upload_file(user: User, template: Template, data: bytes, filename: str) -> TemplateVersion:
    """A new Word file: into the draft version, or a new draft version when none is open.
    Definitions of variables the new file still uses are kept."""
    access.require(user, Permission.TEMPLATE_MANAGE)
    draft = template.draft
    previous = (draft or template.published or template.versions[-1]).variables
    if draft is not None:
        scan = _scan(data)
        blob = _store(data)
        draft.blob_key, draft.sha256, draft.filename = blob.key, blob.sha256, contracts.clean_filename(filename)
        draft.variables = _merge(previous, scan)
        version = draft
    else:
        version = _new_version(user, template, data, filename, previous=previous)
    db.session.flush()
    record("template.file", actor=user, name=template.name, template_id=template.id, version=version.number)
    return version


def _new_version(
    user: User, template: Template, data: bytes, filename: str, *, previous: list[dict[str, Any]]
) -> TemplateVersion:
    scan = _scan(data)
    blob = _store(data)
    number = max((v.number for v in template.versions), default=0) + 1
    version = TemplateVersion(
        number=number,
        state=VersionState.DRAFT,
        blob_key=blob.key,
        sha256=blob.sha256,
        filename=contracts.clean_filename(filename),
        variables=_merge(previous, scan),
        clause_versions={},
        created_by_id=user.id,
    )
    template.versions.append(version)
    return version


def _scan(data: bytes) -> engine.Scan:
    try:
        return engine.scan(data)
    except engine.TemplateProblem as problem:
        raise _template_error(problem) from None


def place(where: str) -> str:
    """A place in the Word file (``paragraph 3``, ``table 1, row 2, cell 1``) in the reader's language."""
    cell = re.fullmatch(r"table (\d+), row (\d+), cell (\d+)", where)
    if cell:
        return _("table %(t)s, row %(r)s, cell %(c)s", t=cell.group(1), r=cell.group(2), c=cell.group(3))
    paragraph = re.fullmatch(r"paragraph (\d+)", where)
    return _("paragraph %(n)s", n=paragraph.group(1)) if paragraph else where


def _template_error(problem: engine.TemplateProblem) -> ValidationFailed:
    if problem.where:
        return ValidationFailed(
            _(
                "The template has an error in %(where)s: %(problem)s",
                where=place(problem.where),
                problem=problem.message,
            ),
            field="file",
        )
    return ValidationFailed(_("The template cannot be used: %(problem)s", problem=problem.message), field="file")


def _merge(previous: list[dict[str, Any]], scan: engine.Scan) -> list[dict[str, Any]]:
    """The definitions for a scanned file: those already written for names it still uses, in
    the file's order, then new names with the type their use suggests; then definitions of
    names the file does not use (metadata-only variables such as a contract number)."""
    by_name = {variable["name"]: variable for variable in previous}
    merged = []
    for name in scan.variables:
        if name in by_name:
            merged.append(by_name.pop(name))
        else:
            kind = scan.guessed_types.get(name, "text")
            merged.append(schemas.definition(name, kind, columns=scan.columns.get(name)))
    merged.extend(by_name.values())
    return merged


def _store(data: bytes) -> StoredBlob:
    blob = blob_store().save(io.BytesIO(data), DOCX, max_size=settings().max_upload_bytes)
    contracts.discard_on_rollback(blob)
    return blob


def template_blobs(keys: set[str]) -> set[str]:
    """Those of ``keys`` a template version's Word file is (purging a contract whose file was also
    uploaded as a template must not remove the template's bytes)."""
    return set(db.session.scalars(select(TemplateVersion.blob_key).where(TemplateVersion.blob_key.in_(keys))))


def read_file(version: TemplateVersion) -> bytes:
    with blob_store().open(version.blob_key) as stream:
        return stream.read()


def template_from_version(
    user: User, contract: Contract, number: int, fields: TemplateFields, replacements: list[tuple[str, str]]
) -> Template:
    """ "Save as template": a contract's Word version becomes a new template, each given text
    replaced by a placeholder (``("上海样本贸易有限公司", "party_b")`` → ``{{ party_b }}``)."""
    access.require(user, Permission.TEMPLATE_MANAGE)
    version = contracts.find_version(contract, number)
    if version.media_type != DOCX:
        raise ValidationFailed(_("Only a Word (DOCX) version can be saved as a template."))
    pairs = []
    for text, name in replacements:
        if not schemas.NAME.match(name):
            raise ValidationFailed(
                _("%(name)s is not a valid variable name (letters, digits, _).", name=name), field="variables"
            )
        pairs.append((text, "{{ " + name + " }}"))
    with blob_store().open(version.blob_key) as stream:
        original = stream.read()
    try:
        data, counts = engine.replace_texts(original, pairs)
    except engine.TemplateProblem as problem:
        raise _template_error(problem) from None
    missing = [text for text, count in counts.items() if count == 0]
    if missing:
        raise ValidationFailed(
            _("The text %(text)s does not occur in the document.", text=missing[0]), field="variables"
        )
    template = create_template(user, fields, data, version.original_filename)
    record("template.from_contract", actor=user, contract_id=contract.id, version_id=version.id, name=template.name)
    return template


def editable_version(user: User, template: Template) -> TemplateVersion:
    """The draft version, opened as a copy of the published one when there is none: a
    published version never changes."""
    access.require(user, Permission.TEMPLATE_MANAGE)
    if template.draft is not None:
        return template.draft
    source = template.published or template.versions[-1]
    version = TemplateVersion(
        number=max(v.number for v in template.versions) + 1,
        state=VersionState.DRAFT,
        blob_key=source.blob_key,
        sha256=source.sha256,
        filename=source.filename,
        variables=[dict(variable) for variable in source.variables],
        clause_versions={},
        created_by_id=user.id,
    )
    template.versions.append(version)
    db.session.flush()
    return version


def save_variables(user: User, template: Template, variables: list[dict[str, Any]]) -> TemplateVersion:
    version = editable_version(user, template)
    known = {variable["name"] for variable in version.variables}
    cleaned = [
        schemas.definition(
            v["name"], v.get("type", "text"), **{k: x for k, x in v.items() if k not in ("name", "type")}
        )
        for v in variables
        if v.get("name") in known
    ]
    schemas.check_definitions(cleaned)
    version.variables = cleaned
    db.session.flush()
    record("template.variables", actor=user, name=template.name, template_id=template.id, version=version.number)
    return version


def publish(user: User, template: Template) -> TemplateVersion:
    """Publish the draft version: every placeholder declared, every included clause known. From
    now on it never changes; drafting uses it."""
    access.require(user, Permission.TEMPLATE_MANAGE)
    version = template.draft
    if version is None:
        raise Conflict(_("There is no draft version to publish."))
    scan = _scan(read_file(version))
    declared = {variable["name"] for variable in version.variables}
    for name, where in scan.variables.items():
        if name not in declared:
            raise ValidationFailed(
                _("The placeholder %(name)s in %(where)s is not a declared variable.", name=name, where=place(where)),
                field=f"variables.{name}",
            )
    schemas.check_definitions(version.variables)
    latest = latest_clauses()
    for key, where in scan.clauses.items():
        if key not in latest:
            raise ValidationFailed(
                _("The clause %(key)s included in %(where)s is not in the clause library.", key=key, where=place(where))
            )
    version.clause_versions = {key: latest[key].version for key in scan.clauses}
    # A trial fill with the samples finds what parsing cannot: {{ price.uper }}, a bad sample.
    fill(version, schemas.sample_values(version.variables))
    version.state = VersionState.PUBLISHED
    version.published_at = clock.now()
    db.session.flush()
    record("template.publish", actor=user, name=template.name, template_id=template.id, version=version.number)
    return version


def set_retired(user: User, template: Template, retired: bool) -> None:
    access.require(user, Permission.TEMPLATE_MANAGE)
    template.retired_at = clock.now() if retired else None
    db.session.flush()
    action = "template.retire" if retired else "template.reinstate"
    record(action, actor=user, name=template.name, template_id=template.id)


# --- clauses ----------------------------------------------------------------------------------------


def latest_clauses() -> dict[str, Clause]:
    newest = select(Clause.key, func.max(Clause.version).label("version")).group_by(Clause.key).subquery()
    query = select(Clause).join(newest, (Clause.key == newest.c.key) & (Clause.version == newest.c.version))
    return {clause.key: clause for clause in db.session.scalars(query.order_by(Clause.key))}


def save_clause(user: User, key: str, title: str, text_zh: str, text_en: str) -> Clause:
    """A new version of the clause ``key`` (version 1 when new). Templates take it up when their
    next version is published."""
    access.require(user, Permission.TEMPLATE_MANAGE)
    key = (key or "").strip()
    if not schemas.NAME.match(key):
        raise ValidationFailed(_("A clause key is letters, digits and _ (e.g. confidentiality)."), field="key")
    if not (title or "").strip():
        raise ValidationFailed(_("A clause needs a title."), field="title")
    if not (text_zh or "").strip() and not (text_en or "").strip():
        raise ValidationFailed(_("Write the clause in Chinese, English or both."), field="text_zh")
    current = latest_clauses().get(key)
    if current is not None and (current.title, current.text_zh, current.text_en) == (
        title.strip(),
        text_zh.strip(),
        text_en.strip(),
    ):
        return current
    clause = Clause(
        key=key,
        version=(current.version + 1) if current else 1,
        title=title.strip(),
        text_zh=text_zh.strip(),
        text_en=text_en.strip(),
        created_by_id=user.id,
    )
    db.session.add(clause)
    db.session.flush()
    record("clause.save", actor=user, key=key, title=clause.title, version=clause.version)
    return clause


def _clause_lookup(version: TemplateVersion, language: str) -> Callable[[str], str]:
    latest = latest_clauses()

    def text(key: str) -> str:
        number = version.clause_versions.get(key)
        clause = (
            db.session.scalar(select(Clause).where(Clause.key == key, Clause.version == number))
            if number
            else latest.get(key)
        )
        if clause is None:
            raise engine.TemplateProblem(f"unknown clause {key}")
        return clause.text(language)

    return text


# --- filling and drafting ---------------------------------------------------------------------------


def with_directory_details(variables: list[dict[str, Any]], raw: dict[str, Any]) -> dict[str, Any]:
    """``raw`` with each party's address and contact taken from the counterparty directory when
    the party is a known counterparty and the drafter left them empty (typed values win)."""
    filled = dict(raw)
    for variable in variables:
        if variable.get("type") != "party" or variable["name"] not in raw:
            continue
        value = raw[variable["name"]]
        given = dict(value) if isinstance(value, dict) else {"name": value}
        name = given.get("name")
        if not isinstance(name, str) or (given.get("address") and given.get("contact")):
            continue
        known = db.session.scalar(select(Counterparty).where(Counterparty.name == name.strip()))
        if known is None:
            continue
        given["address"] = given.get("address") or known.address or ""
        given["contact"] = given.get("contact") or _contact_line(known.contacts)
        filled[variable["name"]] = given
    return filled


def _contact_line(contacts: list[dict[str, str]] | None) -> str:
    """The first contact as one line: name, phone, e-mail (those known)."""
    first = (contacts or [{}])[0]
    return " ".join(part for part in (first.get("name"), first.get("phone"), first.get("email")) if part)


def fill(version: TemplateVersion, raw: dict[str, Any]) -> tuple[bytes, schemas.Checked]:
    """The template version filled with ``raw`` values (checked first)."""
    language = version.template.language
    checked = schemas.check_values(version.variables, with_directory_details(version.variables, raw), language)
    try:
        data = engine.render(read_file(version), checked.context, _clause_lookup(version, language))
    except engine.TemplateProblem as problem:
        raise _template_error(problem) from None
    return data, checked


def preview_pdf(user: User, template: Template, version: TemplateVersion) -> bytes:
    """The version filled with its sample values, as a PDF (LibreOffice, as for Word previews)."""
    access.require(user, Permission.TEMPLATE_MANAGE)
    data, _checked = fill(version, schemas.sample_values(version.variables))
    config = settings()
    options = RenderOptions(
        converter=config.preview_converter,
        soffice=config.soffice,
        timeout_seconds=config.preview_timeout_seconds,
        max_concurrent=config.preview_concurrency,
    )
    with tempfile.TemporaryDirectory(prefix="pactum-template-") as folder:
        source = Path(folder) / "preview.docx"
        source.write_bytes(data)
        try:
            pdf = render_pdf(source, Path(folder), options)
        except (ConverterMissing, RenderDisabled):
            raise ServiceUnavailable(
                _(
                    "The preview needs LibreOffice (soffice), which is not available here (%(converter)s). "
                    "Download the filled Word file instead.",
                    converter=config.preview_converter,
                )
            ) from None
        except RenderFailed as error:
            raise ServiceUnavailable(_("The preview could not be made: %(reason)s", reason=str(error))) from None
        return pdf.read_bytes()


def sample_docx(user: User, version: TemplateVersion) -> bytes:
    access.require(user, Permission.TEMPLATE_MANAGE)
    return fill(version, schemas.sample_values(version.variables))[0]


def draftable_version(user: User, template: Template) -> TemplateVersion:
    """The version new contracts are drafted from: the newest published one of a template in use."""
    access.require(user, Permission.CONTRACT_CREATE)
    if template.retired_at is not None:
        raise Conflict(_("The template %(name)s is retired.", name=template.name))
    version = template.published
    if version is None:
        raise Conflict(_("The template %(name)s has no published version yet.", name=template.name))
    return version


def draft_contract(user: User, template: Template, raw: dict[str, Any], title: str | None = None) -> Contract:
    """A new contract in draft, version 1 the template's published version filled with ``raw``;
    its metadata taken from the variables the schema maps, its origin recorded."""
    version = draftable_version(user, template)
    data, checked = fill(version, raw)
    metadata = metadata_for(template, version, checked, title)
    assert metadata.title is not None
    data = engine.stamp(data, f"pactum-draft-{uuid.uuid4()}", metadata.title)
    upload = contracts.IncomingFile(io.BytesIO(data), filename=_filename(metadata.title))
    contract = contracts.create_contract(user, upload, metadata)
    contract.versions[0].origin = ORIGIN
    db.session.add(
        DraftedContract(
            contract_id=contract.id, template_version_id=version.id, values=checked.stored, drafted_by_id=user.id
        )
    )
    db.session.flush()
    record(
        "contract.drafted",
        actor=user,
        contract_id=contract.id,
        version_id=contract.versions[0].id,
        template=template.name,
        template_version=version.number,
    )
    return contract


def _filename(title: str) -> str:
    safe = "".join(ch if ch not in '\\/:*?"<>|' else "_" for ch in title)[:120]
    return f"{safe}.docx"


def metadata_for(
    template: Template, version: TemplateVersion, checked: schemas.Checked, title: str | None
) -> ContractMetadata:
    fields, counterparties = _mapped_fields(version, checked)
    if title and title.strip():
        fields["title"] = title.strip()
    fields.setdefault("title", " · ".join([template.name, *counterparties[:1]]))
    if counterparties:
        fields["counterparties"] = counterparties
    if template.contract_type_code:
        fields["contract_type"] = template.contract_type_code
    if template.department is not None:
        fields["department"] = template.department.name
    try:
        return ContractMetadata.model_validate(fields)
    except PydanticValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        raise ValidationFailed(
            _("The values do not make valid contract details (%(field)s): %(error)s", field=where, error=problem["msg"])
        ) from None


def _mapped_fields(version: TemplateVersion, checked: schemas.Checked) -> tuple[dict[str, Any], list[str]]:
    """Contract metadata from the variables the schema maps (``maps_to``), and the counterparties."""
    fields: dict[str, Any] = {}
    counterparties: list[str] = []
    for variable in version.variables:
        target, value = variable.get("maps_to"), checked.stored.get(variable["name"])
        if not target or value in (None, ""):
            continue
        if target == "counterparty":
            counterparties.append(value["name"] if isinstance(value, dict) else str(value))
        elif target == "amount" and isinstance(value, dict):
            fields["amount"], fields["currency"] = value["amount"], value["currency"]
        else:
            fields[target] = value if isinstance(value, str) else str(value)
    return fields, counterparties


# --- origin -----------------------------------------------------------------------------------------


def drafted_from(contract: Contract) -> DraftedContract | None:
    return db.session.get(DraftedContract, contract.id)
