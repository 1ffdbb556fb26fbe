"""The central office's reference data, published down to every laptop: the qualified
inspection agencies (有资质的检验机构), checklist form versions, the reviewer registry and the
office's public key.

Agencies file (`inspector-server reference import FILE`), UTF-8, either CSV with the header
`id,name,products,valid_until` (products separated by `;` or `；`, valid_until YYYY-MM-DD or
empty) or JSON::

    {"format": "inspector-agencies/1",
     "agencies": [{"id": "JS-001", "name": "…", "products": ["电线电缆"],
                   "valid_until": "2028-12-31"}]}

An import is the whole list: an agency of an earlier import missing from the file is published
as withdrawn. A malformed file is refused whole, naming the line or entry and the fault.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, Integer, String, Table, Text, insert, select, update

from inspector_app.core.forms.model import ChecklistForm
from inspector_app.core.forms.writer import form_to_dict
from sync.protocol import Reviewer
from sync.server.publish import head_of, now_text, publish
from sync.server.storage import Storage, metadata

AGENCY_FORMAT = "inspector-agencies/1"
MAX_REFERENCE_BYTES = 4 * 1024 * 1024
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

qualified_agency = Table(
    "qualified_agency",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("products", Text, nullable=False),  # JSON list of product names
    Column("valid_until", String(10)),
    Column("withdrawn", Integer, nullable=False),
    Column("imported_at", String(40), nullable=False),
)


class ReferenceError(Exception):
    """Reference data that cannot be imported; the message names where and why."""


@dataclass(frozen=True)
class Agency:
    """A qualified inspection agency (有资质的检验机构) and the products it may test."""

    id: str
    name: str
    products: tuple[str, ...]
    valid_until: str | None

    def record(self) -> dict[str, Any]:
        """Return the agency as the plain record that travels down."""
        return {
            "id": self.id,
            "name": self.name,
            "products": list(self.products),
            "valid_until": self.valid_until,
        }


def _agency(where: str, raw: Any) -> Agency:
    if not isinstance(raw, dict):
        raise ReferenceError(f"{where}: an agency must be an object")
    unknown = set(raw) - {"id", "name", "products", "valid_until"}
    if unknown:
        raise ReferenceError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    agency_id, name = raw.get("id"), raw.get("name")
    if not isinstance(agency_id, str) or not ID_PATTERN.match(agency_id):
        raise ReferenceError(
            f"{where}: id must be 1-64 letters, digits, '.', '_' or '-' (got {agency_id!r})"
        )
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise ReferenceError(f"{where}: name must be a text of 1-200 characters")
    products = raw.get("products")
    if isinstance(products, str):
        products = re.split(r"[;；]", products)
    if not isinstance(products, list) or not all(isinstance(p, str) for p in products):
        raise ReferenceError(f"{where}: products must be a list of product names")
    products = [p.strip() for p in products if p.strip()]
    if not products:
        raise ReferenceError(f"{where}: name at least one product the agency may test")
    valid_until = raw.get("valid_until") or None
    if valid_until is not None:
        if not isinstance(valid_until, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", valid_until):
            raise ReferenceError(f"{where}: valid_until must be YYYY-MM-DD or empty")
        try:
            date.fromisoformat(valid_until)
        except ValueError:
            raise ReferenceError(f"{where}: valid_until {valid_until} is not a date") from None
    return Agency(agency_id, name.strip(), tuple(products), valid_until)


def parse_agencies(raw: bytes, source: str = "") -> list[Agency]:
    """Read an agencies file (CSV or JSON, see the module's docstring).

    Raises:
        ReferenceError: the file is not UTF-8, not CSV or JSON of the format, or an entry is
            malformed or repeated; nothing is imported.
    """
    name = source or "the file"
    if len(raw) > MAX_REFERENCE_BYTES:
        raise ReferenceError(f"{name} is larger than {MAX_REFERENCE_BYTES} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ReferenceError(f"{name} is not UTF-8 text (byte {error.start})") from None
    if text.lstrip().startswith(("{", "[")):
        agencies = _from_json(text, name)
    else:
        agencies = _from_csv(text, name)
    if not agencies:
        raise ReferenceError(f"{name} lists no agency")
    seen: dict[str, str] = {}
    for a in agencies:
        if a.id in seen:
            raise ReferenceError(f"{name}: the id {a.id} appears twice")
        seen[a.id] = a.name
    return agencies


def _from_json(text: str, name: str) -> list[Agency]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ReferenceError(f"{name} is not valid JSON: {str(error)[:120]}") from None
    if not isinstance(data, dict) or data.get("format") != AGENCY_FORMAT:
        raise ReferenceError(
            f'{name}: a JSON agencies file is an object with "format": '
            f'"{AGENCY_FORMAT}" and "agencies": [...]'
        )
    entries = data.get("agencies")
    if not isinstance(entries, list):
        raise ReferenceError(f'{name}: "agencies" must be a list')
    return [_agency(f"{name}: agencies[{i}]", e) for i, e in enumerate(entries)]


def _from_csv(text: str, name: str) -> list[Agency]:
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ReferenceError(f"{name} is not valid CSV: {error}") from None
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        return []
    header = [h.strip() for h in rows[0]]
    if header != ["id", "name", "products", "valid_until"]:
        raise ReferenceError(
            f"{name}: the first line must be the header id,name,products,valid_until "
            f"(got {','.join(header)[:100]})"
        )
    agencies = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != 4:
            raise ReferenceError(f"{name}, line {number}: 4 columns expected, found {len(row)}")
        fields = dict(zip(header, (c.strip() for c in row), strict=True))
        agencies.append(_agency(f"{name}, line {number}", fields))
    return agencies


@dataclass(frozen=True)
class Imported:
    """What an agencies import changed."""

    added_or_changed: int
    unchanged: int
    withdrawn: int


def import_agencies(storage: Storage, agencies: list[Agency]) -> Imported:
    """Make `agencies` the qualified list, in one transaction, and publish what changed; an
    agency of an earlier list that is missing now is published as withdrawn."""
    changed = unchanged = withdrawn = 0
    now = now_text()
    with storage.transaction() as conn:
        listed = {a.id for a in agencies}
        for a in agencies:
            values = {
                "name": a.name,
                "products": json.dumps(list(a.products), ensure_ascii=False),
                "valid_until": a.valid_until,
                "withdrawn": 0,
                "imported_at": now,
            }
            old = conn.execute(select(qualified_agency).where(qualified_agency.c.id == a.id))
            if old.first() is None:
                conn.execute(insert(qualified_agency).values(id=a.id, **values))
            else:
                conn.execute(
                    update(qualified_agency).where(qualified_agency.c.id == a.id).values(**values)
                )
            payload = {"record": a.record(), "withdrawn": False}
            seq = publish(conn, record_table="qualified_agency", record_id=a.id, payload=payload)
            changed, unchanged = (changed + 1, unchanged) if seq else (changed, unchanged + 1)
        gone = conn.execute(
            select(qualified_agency).where(
                qualified_agency.c.withdrawn == 0, qualified_agency.c.id.not_in(listed)
            )
        ).all()
        for row in gone:
            conn.execute(
                update(qualified_agency)
                .where(qualified_agency.c.id == row.id)
                .values(withdrawn=1, imported_at=now)
            )
            record = {
                "id": row.id,
                "name": row.name,
                "products": json.loads(row.products),
                "valid_until": row.valid_until,
            }
            publish(
                conn,
                record_table="qualified_agency",
                record_id=row.id,
                payload={"record": record, "withdrawn": True},
            )
            withdrawn += 1
    return Imported(changed, unchanged, withdrawn)


def publish_form(storage: Storage, form: ChecklistForm) -> bool:
    """Publish a checklist form version to every laptop; return False when that version was
    already published with the same content.

    Raises:
        ReferenceError: that form version was published with other content (a published
            version never changes: give the revision a new version number).
    """
    record_id = f"{form.form_id}@{form.version}"
    payload = {"form": form_to_dict(form)}
    with storage.transaction() as conn:
        if head_of(conn, "checklist_form", record_id) is not None:
            seq = publish(conn, record_table="checklist_form", record_id=record_id, payload=payload)
            if seq is not None:
                raise ReferenceError(
                    f"form {form.form_id} version {form.version} was already published with "
                    "other content; a published version never changes: number the revision "
                    f"{form.version + 1} or higher"
                )
            return False
        publish(conn, record_table="checklist_form", record_id=record_id, payload=payload)
    return True


def reviewer_payload(r: Reviewer) -> dict[str, Any]:
    """Return a registry reviewer as the laptop's reviewer record (see `core.model.Reviewer`)."""
    from inspector_app.core.model import UnitType

    unit_type = r.unit_type if r.unit_type in {u.value for u in UnitType} else UnitType.OTHER
    record = {
        "id": r.id,
        "name": r.name,
        "unit": r.unit,
        "unit_type": str(unit_type),
        "certificate_no": r.certificate_no or "",
        "certificate_expiry": r.certificate_expiry or "9999-12-31",
        "phone": "",
    }
    return {"record": record, "locked": False, "device_id": "central-office", "role": r.role}


def publish_reviewer(conn: Connection, r: Reviewer) -> None:
    """Publish a registry reviewer (in the caller's transaction)."""
    publish(conn, record_table="reviewer", record_id=r.id, payload=reviewer_payload(r))


def publish_public_key(storage: Storage, public_key_b64: str) -> None:
    """Publish the office's X25519 public key (once per key)."""
    payload = {"algorithm": "X25519", "public_key": public_key_b64}
    with storage.transaction() as conn:
        publish(conn, record_table="server_key", record_id="x25519", payload=payload)


def read_reference_file(path: Path) -> bytes:
    """Return a reference file's bytes.

    Raises:
        ReferenceError: it cannot be read (missing, a folder, no permission), or is too large.
    """
    from inspector_app.inputfile import InputTooLarge, read_bounded

    try:
        return read_bounded(path, MAX_REFERENCE_BYTES)
    except InputTooLarge:
        raise ReferenceError(f"{path} is larger than {MAX_REFERENCE_BYTES} bytes") from None
    except OSError as error:
        raise ReferenceError(f"cannot read {path}: {error.strerror or error}") from None
