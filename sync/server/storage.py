"""The server's storage: SQLAlchemy Core over SQLite (a file in `--data DIR`, the default) or
PostgreSQL (`--database-url`); the schema is made by Alembic migrations (`sync.server.migrate`).
No dialect-specific SQL outside `_sqlite_engine`, `_postgresql_engine` and `transaction`.

Every write is one transaction, begun with `Storage.transaction()`, which serializes writers
from their start: on SQLite each transaction begins with `BEGIN IMMEDIATE`; on PostgreSQL it
first takes a transaction-scoped advisory lock (`pg_advisory_xact_lock(CHANGE_LOG_LOCK)`).
A row of the change log therefore gets its sequence number only while no other writer is
open, so the sequence is the commit order, and a reader that has seen `seq = n` can never
later meet a committed row below n (a sequence value taken by a transaction that commits late
would otherwise be skipped by every cursor already past it). Any code that appends to
`change` must do so inside `Storage.transaction()`.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    select,
    text,
    update,
)

from sync.protocol import Change, Mutation, MutationResult, Reviewer

metadata = MetaData()

RECEIVED_AT = "received_at"
"""The key of a stored change's payload that says when the office received it (the same as
`inspector_app.store.sync_apply.RECEIVED_AT`)."""

CHANGE_LOG_LOCK = 0x1A5BEC7012C40001
"""PostgreSQL advisory lock key that serializes the server's writers (see the module doc)."""
MIGRATION_LOCK = 0x1A5BEC7012C40002
"""PostgreSQL advisory lock key held while migrations run."""

READ_ONLY = "inspector_read_only"
"""Execution option of `Storage.reading()` connections."""

SEQ = BigInteger().with_variant(Integer(), "sqlite")
"""A generated key: BIGSERIAL on PostgreSQL, the rowid on SQLite."""

reviewer = Table(
    "reviewer",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("unit", Text, nullable=False),
    Column("unit_type", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("certificate_no", Text),
    Column("certificate_expiry", String(10)),
    Column("created_at", String(40), nullable=False),
)

enrollment_code = Table(
    "enrollment_code",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("reviewer_id", String(64), ForeignKey("reviewer.id"), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("used_at", String(40)),
)

device = Table(
    "device",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("reviewer_id", String(64), ForeignKey("reviewer.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("enrolled_at", String(40), nullable=False),
    Column("last_seen_at", String(40)),
)

mutation = Table(
    "mutation",
    metadata,
    Column("mutation_id", String(64), primary_key=True),
    Column("device_id", String(64), ForeignKey("device.id"), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("result", Text, nullable=False),
    Column("received_at", String(40), nullable=False),
)

record_head = Table(
    "record_head",
    metadata,
    Column("record_table", String(64), primary_key=True),
    Column("record_id", String(64), primary_key=True),
    Column("version_id", String(64)),
    Column("locked", Integer, nullable=False),
    Column("change_seq", BigInteger, nullable=False),
)

change = Table(
    "change",
    metadata,
    Column("seq", SEQ, primary_key=True, autoincrement=True),
    Column("mutation_id", String(64), nullable=False, unique=True),
    Column("record_table", String(64), nullable=False),
    Column("record_id", String(64), nullable=False),
    Column("case_id", String(64)),
    Column("version_id", String(64)),
    Column("base_version_id", String(64)),
    Column("device_id", String(64), nullable=False),
    Column("payload", Text, nullable=False),
    Column("committed_at", String(40), nullable=False),
)
Index("change_case", change.c.case_id, change.c.seq)

conflict = Table(
    "conflict",
    metadata,
    Column("id", SEQ, primary_key=True, autoincrement=True),
    Column("mutation_id", String(64), nullable=False, unique=True),
    Column("device_id", String(64), nullable=False),
    Column("record_table", String(64), nullable=False),
    Column("record_id", String(64), nullable=False),
    Column("case_id", String(64)),
    Column("version_id", String(64)),
    Column("base_version_id", String(64)),
    Column("head_version_id", String(64)),
    Column("reason", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("found_at", String(40), nullable=False),
    Column("resolved_at", String(40)),
    Column("event_seq", BigInteger, nullable=False),
    Column("kind", String(16), nullable=False, server_default="version"),
)
"""Changes kept apart. `event_seq` is the conflict's place in the conflicts' own sequence: taken
when it is kept and taken again when it is resolved (or must reach a newly assigned reviewer),
so a laptop asks only for what moved after its conflicts cursor (`GET /v1/conflicts?after=`).
Taken inside `Storage.transaction()` (`next_conflict_seq`), so it is in commit order too.
`kind` is "version" (a stale base version, a change of a signed record, another version in an
assigned case file) or "rule" (the record breaks a rule of its case: `sync.server.rules`)."""
Index("conflict_event_seq", conflict.c.event_seq, unique=True)

attachment = Table(
    "attachment",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("device_id", String(64), nullable=False),
    Column("received_at", String(40), nullable=False),
)
"""Attachments received whole and hash-checked (their files: `sync.server.attachments`)."""

attachment_case = Table(
    "attachment_case",
    metadata,
    Column("sha256", String(64), ForeignKey("attachment.sha256"), primary_key=True),
    Column("case_id", String(64), primary_key=True),
)
"""Which cases an attachment was uploaded for."""


class IdempotencyConflict(Exception):
    """A mutation id already used for other content (refused with 409)."""


@dataclass(frozen=True)
class DeviceIdentity:
    """An enrolled device and its reviewer, as an authenticated call sees them."""

    device_id: str
    reviewer_id: str


def _now() -> str:
    return datetime.now(UTC).isoformat()


def token_hash(secret: str) -> str:
    """Return how a token or code is kept: its SHA-256 (they are random, 128+ bits, so a slow
    hash adds nothing)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def content_hash(m: Mutation) -> str:
    """Return the SHA-256 of a mutation's canonical JSON (what a replay must repeat)."""
    text = json.dumps(m.model_dump(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy issue BEGIN itself (the pysqlite recipe), as IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.execute("PRAGMA journal_mode=WAL")
        cursor.close()
        dbapi_connection.execute("PRAGMA synchronous=FULL").close()
        dbapi_connection.execute("PRAGMA foreign_keys=ON").close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # A reader (`Storage.reading`) takes a WAL snapshot and never waits for a writer.
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def _postgresql_engine(url: str) -> Engine:
    # psycopg 3 (`psycopg[binary]`); a plain postgresql:// URL means that driver.
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=40)


def make_engine(data: Path, database_url: str | None) -> Engine:
    """Return the engine of `database_url`, or of the SQLite file `data/server.db` when None.

    Raises:
        ValueError: a URL of a database other than SQLite or PostgreSQL.
    """
    if database_url is None:
        data.mkdir(parents=True, exist_ok=True)
        return _sqlite_engine(data / "server.db")
    scheme = database_url.split(":", 1)[0].split("+", 1)[0]
    if scheme in ("postgresql", "postgres"):
        return _postgresql_engine(database_url)
    if scheme == "sqlite":
        engine = create_engine(database_url)
        engine.dispose()
        return _sqlite_engine(Path(engine.url.database or ""))
    raise ValueError(f"unsupported database URL scheme {scheme!r}: use postgresql:// or sqlite://")


def _change(r: Any) -> Change:
    """Return a row of the change log as the protocol sends it."""
    return Change(
        seq=r.seq,
        record_table=r.record_table,
        record_id=r.record_id,
        case_id=r.case_id,
        version_id=r.version_id,
        base_version_id=r.base_version_id,
        device_id=r.device_id,
        payload=json.loads(r.payload),
    )


class Storage:
    """The server's data behind one interface (the API and the command line use only this).

    `data` is the server's folder: attachments live in `data/attachments` whatever database
    holds the tables.
    """

    def __init__(self, engine: Engine, data: Path, *, migrate: bool = True) -> None:
        self.engine = engine
        self.data = data
        self.attachments_dir = data / "attachments"
        from sync.server.rules import CaseRules

        self.rules = CaseRules()
        """The domain's rules of a whole case, applied to each pushed record (`apply`)."""
        # The tables of case scoping and reference data live in their own modules.
        import sync.server.assignments
        import sync.server.reference  # noqa: F401

        if migrate:
            from sync.server.migrate import upgrade

            upgrade(engine)

    @classmethod
    def open(cls, data: Path, database_url: str | None = None) -> Storage:
        """Open the storage (migrated to the newest schema): PostgreSQL or SQLite at
        `database_url`, else the SQLite file `data/server.db`."""
        data.mkdir(parents=True, exist_ok=True)
        return cls(make_engine(data, database_url), data)

    @classmethod
    def in_folder(cls, data: Path) -> Storage:
        """Open (creating if needed) the SQLite storage in the folder `data`."""
        return cls.open(data)

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`."""
        return str(self.engine.dialect.name)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for reads only: it sees committed data and waits for no writer."""
        with self.engine.connect() as conn:
            conn.execution_options(**{READ_ONLY: True})
            yield conn

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """Begin a write transaction that no other writer runs beside (see the module doc);
        commit on leaving, roll back on an exception."""
        with self.engine.begin() as conn:
            if self.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHANGE_LOG_LOCK})
            yield conn

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()

    # --- registry and enrollment -------------------------------------------------------

    def add_reviewer(self, r: Reviewer) -> str:
        """Add `r` to the registry and return a new one-time enrollment code for it."""
        code = secrets.token_urlsafe(18)
        now = _now()
        with self.transaction() as conn:
            conn.execute(insert(reviewer).values(**r.model_dump(), created_at=now))
            from sync.server.reference import publish_reviewer  # the registry goes down

            publish_reviewer(conn, r)
            conn.execute(
                insert(enrollment_code).values(
                    code_hash=token_hash(code), reviewer_id=r.id, created_at=now
                )
            )
        return code

    def enroll(self, code: str, device_id: str, device_name: str) -> tuple[str, Reviewer] | None:
        """Use up `code` and enroll the device; return its new token and its reviewer, or
        None when the code is unknown or already used (a device id may enroll again: its
        old token stops working)."""
        token = secrets.token_urlsafe(32)
        now = _now()
        with self.transaction() as conn:
            row = conn.execute(
                select(enrollment_code).where(
                    enrollment_code.c.code_hash == token_hash(code),
                    enrollment_code.c.used_at.is_(None),
                )
            ).first()
            if row is None:
                return None
            conn.execute(
                update(enrollment_code)
                .where(enrollment_code.c.code_hash == row.code_hash)
                .values(used_at=now)
            )
            existing = conn.execute(select(device).where(device.c.id == device_id)).first()
            if existing is not None and existing.reviewer_id != row.reviewer_id:
                return None
            if existing is None:
                conn.execute(
                    insert(device).values(
                        id=device_id,
                        reviewer_id=row.reviewer_id,
                        name=device_name,
                        token_hash=token_hash(token),
                        enrolled_at=now,
                    )
                )
            else:
                conn.execute(
                    update(device)
                    .where(device.c.id == device_id)
                    .values(token_hash=token_hash(token), name=device_name, enrolled_at=now)
                )
            person = conn.execute(select(reviewer).where(reviewer.c.id == row.reviewer_id)).one()
        fields = {k: v for k, v in person._mapping.items() if k != "created_at"}
        return token, Reviewer(**fields)

    def authenticate(self, token: str) -> DeviceIdentity | None:
        """Return the device that `token` belongs to, or None."""
        with self.reading() as conn:
            row = conn.execute(
                select(device.c.id, device.c.reviewer_id).where(
                    device.c.token_hash == token_hash(token)
                )
            ).first()
        return None if row is None else DeviceIdentity(row.id, row.reviewer_id)

    # --- push ---------------------------------------------------------------------------

    def stored_result(self, m: Mutation) -> MutationResult | None:
        """Return the stored result of an earlier push of `m`, or None when it is new.

        Raises:
            IdempotencyConflict: the id was used for other content.
        """
        with self.reading() as conn:
            return self._stored(conn, m)

    def _stored(self, conn: Connection, m: Mutation) -> MutationResult | None:
        row = conn.execute(
            select(mutation.c.content_hash, mutation.c.result).where(
                mutation.c.mutation_id == m.mutation_id
            )
        ).first()
        if row is None:
            return None
        if row.content_hash != content_hash(m):
            raise IdempotencyConflict(m.mutation_id)
        return MutationResult.model_validate_json(row.result)

    def apply(self, who: DeviceIdentity, m: Mutation) -> MutationResult:
        """Apply one mutation in its own transaction, keyed by its id: a replay returns the
        stored result; a stale base version, or any change of a signed record, is kept as a
        conflict (never applied, never discarded); so is a record that breaks a rule of its
        case as the office holds it (kind "rule", with the domain's message:
        `sync.server.rules`). An applied change carries when the office received it
        (`RECEIVED_AT` in its payload).

        Raises:
            IdempotencyConflict: the id was used for other content.
        """
        now = _now()
        payload = json.dumps(m.payload, ensure_ascii=False, sort_keys=True)
        with self.transaction() as conn:
            earlier = self._stored(conn, m)
            if earlier is not None:
                return earlier
            head = conn.execute(
                select(record_head).where(
                    record_head.c.record_table == m.record_table,
                    record_head.c.record_id == m.record_id,
                )
            ).first()
            reason = ""
            # A correction of versions refused for a rule (`sync.server.corrections`): made
            # from what they were made from; their rule conflicts are settled once it applies.
            from sync.server.corrections import refused_chain, settle_refused

            made_from, corrected = (
                refused_chain(conn, m)  # only a base the head is not: a stale or refused one
                if m.base_version_id is not None
                and (head is None or head.version_id != m.base_version_id)
                else (m.base_version_id, [])
            )
            if head is not None and head.version_id == m.version_id:
                result = MutationResult(
                    mutation_id=m.mutation_id,
                    status="duplicate",
                    detail="this version is already on the server",
                    server_seq=head.change_seq,
                )
            elif head is not None and head.locked:
                reason = "the record is signed (locked) on the server and cannot change"
            elif head is not None and head.version_id != made_from:
                reason = f"stale base version {m.base_version_id}: the server has {head.version_id}"
            else:
                # A signed case takes no change at all: neither a new record nor a new version
                # of one whose signed version lost to an edit pushed before the sign-off.
                from sync.server.assignments import signed_case_refusal

                reason = signed_case_refusal(conn, m)
            kind = "version"
            if not reason and (head is None or head.version_id != m.version_id):
                broken = self.rules.problems(conn, m, datetime.fromisoformat(now))
                if broken:
                    from sync.server.rules import RULE_KIND, rule_reason

                    reason, kind = rule_reason(broken), RULE_KIND
            if reason:
                keep_conflict(
                    conn,
                    mutation_id=m.mutation_id,
                    device_id=who.device_id,
                    record_table=m.record_table,
                    record_id=m.record_id,
                    case_id=m.case_id,
                    version_id=m.version_id,
                    base_version_id=m.base_version_id,
                    head_version_id=head.version_id if head is not None else None,
                    reason=reason,
                    payload=payload,
                    found_at=now,
                    kind=kind,
                )
                result = MutationResult(mutation_id=m.mutation_id, status="conflict", detail=reason)
            elif head is None or head.version_id != m.version_id:
                seq = append_change(
                    conn,
                    mutation_id=m.mutation_id,
                    record_table=m.record_table,
                    record_id=m.record_id,
                    case_id=m.case_id,
                    version_id=m.version_id,
                    # the others never had the refused versions: made from what they were made from
                    base_version_id=made_from if corrected else m.base_version_id,
                    device_id=who.device_id,
                    # When the office received it: the clock a laptop checks its acts against.
                    payload=json.dumps(
                        {**m.payload, RECEIVED_AT: now}, ensure_ascii=False, sort_keys=True
                    ),
                    committed_at=now,
                )
                self.rules.applied(conn, m, seq)
                settle_refused(conn, corrected, now)
                locked = 1 if m.payload.get("locked") in (1, True) else 0
                values = {"version_id": m.version_id, "locked": locked, "change_seq": seq}
                if head is None:
                    conn.execute(
                        insert(record_head).values(
                            record_table=m.record_table, record_id=m.record_id, **values
                        )
                    )
                else:
                    conn.execute(
                        update(record_head)
                        .where(
                            record_head.c.record_table == m.record_table,
                            record_head.c.record_id == m.record_id,
                        )
                        .values(**values)
                    )
                result = MutationResult(
                    mutation_id=m.mutation_id, status="applied", server_seq=int(seq)
                )
            conn.execute(
                insert(mutation).values(
                    mutation_id=m.mutation_id,
                    device_id=who.device_id,
                    content_hash=content_hash(m),
                    result=result.model_dump_json(),
                    received_at=now,
                )
            )
            conn.execute(
                update(device).where(device.c.id == who.device_id).values(last_seen_at=now)
            )
        return result

    # --- pull ---------------------------------------------------------------------------

    def changes_after(
        self, who: DeviceIdentity, cursor: int, limit: int
    ) -> tuple[list[Change], int, bool]:
        """Return up to `limit` changes made by other devices after `cursor`, in commit order,
        the new cursor and whether more follow; only what the device's reviewer may see
        (`assignments.visible_to`)."""
        from sync.server.assignments import visible_to

        with self.reading() as conn:
            rows = list(
                conn.execute(
                    select(change)
                    .where(change.c.seq > cursor, visible_to(who))
                    .order_by(change.c.seq)
                    .limit(limit + 1)
                )
            )
        more = len(rows) > limit
        rows = rows[:limit]
        new_cursor = rows[-1].seq if rows else cursor
        changes = [_change(r) for r in rows if r.device_id != who.device_id]
        return changes, new_cursor, more

    def head_change(self, record_table: str, record_id: str) -> Change | None:
        """Return the change that made the record's current version (as a pull brings it
        down), or None when the office holds no version of it."""
        with self.reading() as conn:
            r = conn.execute(
                select(change)
                .join(record_head, record_head.c.change_seq == change.c.seq)
                .where(
                    record_head.c.record_table == record_table,
                    record_head.c.record_id == record_id,
                )
            ).first()
        if r is None:
            return None
        return _change(r)

    # --- inspection (tests, `status`) ---------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Return how many rows each table holds."""
        with self.reading() as conn:
            return {
                t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                for t in metadata.sorted_tables
            }

    def conflicts(self) -> Iterator[dict[str, Any]]:
        """Yield the kept conflicts, oldest first."""
        with self.reading() as conn:
            rows = list(conn.execute(select(conflict).order_by(conflict.c.id)))
        for r in rows:
            yield dict(r._mapping)


def append_change(conn: Connection, **values: Any) -> int:
    """Append one row to the change log and return its sequence number. `conn` must be a
    `Storage.transaction()` (so that the sequence stays in commit order)."""
    key = conn.execute(insert(change).values(**values)).inserted_primary_key
    assert key is not None
    return int(key[0])


def next_conflict_seq(conn: Connection) -> int:
    """Return the next place in the conflicts' sequence. `conn` must be a
    `Storage.transaction()`: writers are serialized, so the sequence is the commit order and
    a conflicts cursor never passes a conflict event that commits later."""
    last = conn.execute(select(func.max(conflict.c.event_seq))).scalar()
    return int(last or 0) + 1


def keep_conflict(conn: Connection, **values: Any) -> int:
    """Keep a change apart as a conflict, at the next place of the conflicts' sequence;
    return its id. `conn` must be a `Storage.transaction()`."""
    key = conn.execute(
        insert(conflict).values(**values, event_seq=next_conflict_seq(conn))
    ).inserted_primary_key
    assert key is not None
    return int(key[0])


def renumber_conflict(conn: Connection, conflict_id: int, **values: Any) -> None:
    """Give a conflict the next place of the conflicts' sequence (it was resolved, or must
    reach a reviewer newly assigned to its case), with `values` changed as well."""
    conn.execute(
        update(conflict)
        .where(conflict.c.id == conflict_id)
        .values(**values, event_seq=next_conflict_seq(conn))
    )


def new_reviewer_id() -> str:
    """Return a new reviewer id (a UUID, as the laptops make them)."""
    return str(uuid.uuid4())
