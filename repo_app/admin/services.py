"""Administration of accounts. Every change is audited."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..auth.models import Group, User
from ..auth.roles import Permission, Role, is_role
from ..contracts import access
from ..contracts.models import Contract, ContractType, Department
from ..core import signals
from ..core.audit import record
from ..core.errors import Conflict, NotFound, ValidationFailed
from ..core.extensions import db
from ..search import events as search_events


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.email)))


def get_user(actor: User, user_id: int) -> User:
    access.require(actor, Permission.USER_ADMIN)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user."))
    return user


def _active_admins() -> int:
    return int(
        db.session.scalar(select(func.count(User.id)).where(User.role == Role.ADMIN, User.active.is_(True))) or 0
    )


def _refuse_removing_last_admin(user: User) -> None:
    if user.role == Role.ADMIN and user.active and _active_admins() <= 1:
        raise ValidationFailed(_("Pactum needs at least one active administrator."))


def change_role(actor: User, user: User, role: str) -> None:
    access.require(actor, Permission.USER_ADMIN)
    if not is_role(role):
        raise ValidationFailed(_("Unknown role %(role)s.", role=role))
    if role == user.role:
        return
    if role != Role.ADMIN:
        _refuse_removing_last_admin(user)
    record("user.role_change", target_user=user.id, old=user.role, new=role)
    user.role = role


def set_active(actor: User, user: User, active: bool) -> None:
    access.require(actor, Permission.USER_ADMIN)
    if user.active == active:
        return
    if not active:
        _refuse_removing_last_admin(user)
    record("user.activate" if active else "user.deactivate", target_user=user.id)
    user.active = active
    signals.send(signals.user_active_changed, user=user, actor=actor, active=active)


# --- departments and groups ------------------------------------------------------------


def department_tree() -> list[tuple[int, Department]]:
    """Departments in tree order with their depth, for indented display."""
    departments = list(db.session.scalars(select(Department).order_by(Department.name)))
    children: dict[int | None, list[Department]] = {}
    for department in departments:
        children.setdefault(department.parent_id, []).append(department)
    ordered: list[tuple[int, Department]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for department in children.get(parent_id, []):
            ordered.append((depth, department))
            walk(department.id, depth + 1)

    walk(None, 0)
    return ordered


def _department_by_name(name: str | None) -> Department | None:
    if not name:
        return None
    department = db.session.scalar(select(Department).where(Department.name == name))
    if department is None:
        raise ValidationFailed(_("Unknown department %(name)s.", name=name))
    return department


def save_department(
    actor: User, name: str, parent_name: str | None, department: Department | None = None
) -> Department:
    access.require(actor, Permission.USER_ADMIN)
    name = name.strip()
    if not name:
        raise ValidationFailed(_("A department needs a name."))
    parent = _department_by_name(parent_name)
    if department is not None and parent is not None and department.id in access.ancestors_or_self(parent):
        raise ValidationFailed(_("A department cannot be placed under itself."))
    clash = db.session.scalar(select(Department).where(Department.name == name))
    if clash is not None and clash is not department:
        raise Conflict(_("A department called %(name)s exists already.", name=name))
    if department is None:
        department = Department(name=name)
        db.session.add(department)
    old = {"name": department.name, "parent_id": department.parent_id}
    department.name, department.parent = name, parent
    db.session.flush()
    record(
        "department.save",
        department_id=department.id,
        old=old,
        new={"name": department.name, "parent_id": department.parent_id},
    )
    _refresh_department_contracts(department.id)
    return department


def _refresh_department_contracts(department_id: int) -> None:
    """Managers above a department can read its contracts: moving it changes who that is."""
    scope = access.descendants_or_self(department_id)
    ids = list(db.session.scalars(select(Contract.id).where(Contract.department_id.in_(scope))))
    if ids:
        search_events.refresh_after_commit(ids)


def set_department(actor: User, user: User, department_name: str | None) -> None:
    access.require(actor, Permission.USER_ADMIN)
    department = _department_by_name(department_name)
    new_id = department.id if department else None
    if user.department_id == new_id:
        return
    record("user.department_change", target_user=user.id, old=user.department_id, new=new_id)
    user.department_id = new_id


def list_groups() -> list[Group]:
    return list(db.session.scalars(select(Group).order_by(Group.name)))


def create_group(actor: User, name: str) -> Group:
    access.require(actor, Permission.USER_ADMIN)
    name = name.strip()
    if not name:
        raise ValidationFailed(_("A group needs a name."))
    if db.session.scalar(select(Group.id).where(Group.name == name)) is not None:
        raise Conflict(_("A group called %(name)s exists already.", name=name))
    group = Group(name=name)
    db.session.add(group)
    db.session.flush()
    record("group.create", group_id=group.id, name=name)
    return group


def set_membership(actor: User, group: Group, email: str, member: bool) -> None:
    access.require(actor, Permission.USER_ADMIN)
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFound(_("No user with the e-mail %(email)s.", email=email))
    if member and user not in group.members:
        group.members.append(user)
    elif not member and user in group.members:
        group.members.remove(user)
    else:
        return
    record("group.member_add" if member else "group.member_remove", group_id=group.id, target_user=user.id)


# --- contract types --------------------------------------------------------------------


def list_contract_types() -> list[ContractType]:
    return list(db.session.scalars(select(ContractType).order_by(ContractType.position)))


def save_contract_type(actor: User, code: str, name_zh: str, name_en: str, retention_years: int | None) -> ContractType:
    """Add a type or change one (the code is the key and never changes)."""
    access.require(actor, Permission.USER_ADMIN)
    code = code.strip().lower()
    if not code.replace("_", "").isalnum() or len(code) > 40:
        raise ValidationFailed(_("The code may hold letters, digits and _ only (e.g. consulting)."))
    if not name_zh.strip() or not name_en.strip():
        raise ValidationFailed(_("Give the type a Chinese and an English name."))
    if retention_years is not None and not 0 < retention_years <= 100:
        raise ValidationFailed(_("Retention must be between 1 and 100 years."))
    contract_type = db.session.get(ContractType, code)
    old = None
    if contract_type is None:
        position = len(list_contract_types())
        contract_type = ContractType(code=code, position=position)
        db.session.add(contract_type)
    else:
        old = {
            "name_zh": contract_type.name_zh,
            "name_en": contract_type.name_en,
            "retention_years": contract_type.retention_years,
        }
    contract_type.name_zh, contract_type.name_en = name_zh.strip(), name_en.strip()
    contract_type.retention_years = retention_years
    record(
        "contract_type.save",
        code=code,
        old=old,
        new={"name_zh": contract_type.name_zh, "name_en": contract_type.name_en, "retention_years": retention_years},
    )
    return contract_type
