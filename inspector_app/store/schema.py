"""The workspace schema, as ordered sqlite-utils migrations.

Each migration runs in a transaction. Names are never changed once released: a database that
lists a migration this version does not know was written by a newer app and is refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from inspector_app.store.migration_set import MigrationSet

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATIONS = MigrationSet("inspector")

# Columns every versioned record carries (sync detects conflicting edits by base_version_id).
VERSION_COLUMNS = """
    version_id TEXT NOT NULL,
    base_version_id TEXT,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    locked INTEGER NOT NULL DEFAULT 0
"""

CASE_TABLES = (
    "team_member",
    "integrity_declaration",
    "team_filing",
    "checklist_result",
    "sample_record",
    "seal",
    "feedback_handover",
    "enterprise_objection",
    "signature",
)


def _immutable_when_signed(db: Database, table: str) -> None:
    """Make SQLite itself refuse to change or delete a signed (locked) row."""
    for event in ("UPDATE", "DELETE"):
        db.execute(
            f"""CREATE TRIGGER {table}_signed_no_{event.lower()} BEFORE {event} ON {table}
            WHEN OLD.locked = 1
            BEGIN SELECT RAISE(ABORT, 'signed record is immutable: {table}'); END"""
        )


def _create_case_table(db: Database, table: str, columns: str, *, lock_rows: bool = True) -> None:
    """Create a table of a case's records: the record's columns, the version columns, an index
    by case, and SQLite's own refusal of a new row in a signed-off case (and, with `lock_rows`,
    of a change to a signed row)."""
    db.execute(
        f"""CREATE TABLE {table} (
            id TEXT PRIMARY KEY,
            case_id TEXT NOT NULL REFERENCES review_case(id),
            {columns},
            {VERSION_COLUMNS})"""
    )
    db.execute(f"CREATE INDEX {table}_case ON {table}(case_id)")
    db.execute(
        f"""CREATE TRIGGER {table}_signed_case_no_insert BEFORE INSERT ON {table}
        WHEN (SELECT locked FROM review_case WHERE id = NEW.case_id) = 1
        BEGIN SELECT RAISE(ABORT, 'signed record is immutable: review_case'); END"""
    )
    if lock_rows:
        _immutable_when_signed(db, table)


@MIGRATIONS(name="0001_initial")
def initial(db: Database) -> None:
    """Create the records, the audit chain and the outbox."""
    db.execute(
        f"""CREATE TABLE enterprise (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, credit_code TEXT NOT NULL,
            address TEXT NOT NULL, contact_person TEXT NOT NULL, phone TEXT NOT NULL,
            {VERSION_COLUMNS})"""
    )
    db.execute(
        f"""CREATE TABLE review_case (
            id TEXT PRIMARY KEY, application_no TEXT NOT NULL UNIQUE,
            enterprise_id TEXT NOT NULL REFERENCES enterprise(id),
            product TEXT NOT NULL, product_unit TEXT NOT NULL,
            form_id TEXT NOT NULL, form_version INTEGER NOT NULL,
            accepted_on TEXT NOT NULL, review_date TEXT NOT NULL, status TEXT NOT NULL,
            qualified_agencies TEXT NOT NULL, review_started_at TEXT, concluded_at TEXT,
            {VERSION_COLUMNS})"""
    )
    tables = {
        "team_member": """name TEXT NOT NULL, unit TEXT NOT NULL, unit_type TEXT NOT NULL,
            certificate_no TEXT NOT NULL, certificate_expiry TEXT NOT NULL,
            role TEXT NOT NULL, phone TEXT NOT NULL""",
        "integrity_declaration": """member_id TEXT NOT NULL REFERENCES team_member(id),
            no_paid_consulting INTEGER NOT NULL, no_part_time_job INTEGER NOT NULL,
            no_gifts INTEGER NOT NULL, signed_at TEXT NOT NULL""",
        "team_filing": """filed_at TEXT NOT NULL, filed_by TEXT NOT NULL,
            team_fingerprint TEXT NOT NULL, content TEXT NOT NULL""",
        "checklist_result": """item_code TEXT NOT NULL, result TEXT NOT NULL, note TEXT NOT NULL,
            assessor_id TEXT NOT NULL REFERENCES team_member(id), assessed_at TEXT NOT NULL,
            evidence TEXT NOT NULL""",
        "sample_record": """product_name TEXT NOT NULL, model_spec TEXT NOT NULL,
            batch_no TEXT NOT NULL, base_quantity TEXT NOT NULL, sample_quantity TEXT NOT NULL,
            reserve_quantity TEXT NOT NULL, sampling_place TEXT NOT NULL,
            sampled_at TEXT NOT NULL, sampler_ids TEXT NOT NULL,
            enterprise_representative TEXT NOT NULL, agency TEXT NOT NULL,
            agency_chosen_by_enterprise INTEGER NOT NULL, onsite_testing INTEGER NOT NULL""",
        "seal": """sample_id TEXT NOT NULL REFERENCES sample_record(id), seal_no TEXT NOT NULL,
            photo TEXT""",
        "feedback_handover": """stage TEXT NOT NULL, handed_at TEXT NOT NULL,
            handed_to TEXT NOT NULL, handed_by TEXT NOT NULL""",
        "enterprise_objection": """text TEXT NOT NULL, representative TEXT NOT NULL,
            recorded_at TEXT NOT NULL""",
        "signature": """signer_id TEXT NOT NULL REFERENCES team_member(id),
            meaning TEXT NOT NULL, signed_at TEXT NOT NULL, document_sha256 TEXT NOT NULL""",
    }
    for table, columns in tables.items():
        _create_case_table(db, table, columns, lock_rows=False)
    db.execute("CREATE UNIQUE INDEX checklist_result_item ON checklist_result(case_id, item_code)")
    for table in ("enterprise", "review_case", *CASE_TABLES):
        _immutable_when_signed(db, table)
    db.execute(
        """CREATE TABLE attachment (
            sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, media_type TEXT NOT NULL,
            original_name TEXT NOT NULL, added_at TEXT NOT NULL)"""
    )
    # event_id needs no unique index: it is a fresh UUID, and every index is paid on each save.
    db.execute(
        """CREATE TABLE audit_event (
            seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL, case_id TEXT,
            case_seq INTEGER, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
            record_table TEXT NOT NULL, record_id TEXT NOT NULL, version_id TEXT,
            old TEXT, new TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)"""
    )
    db.execute("CREATE INDEX audit_event_case ON audit_event(case_id, case_seq)")
    for event in ("UPDATE", "DELETE"):
        db.execute(
            f"""CREATE TRIGGER audit_event_append_only_{event.lower()}
            BEFORE {event} ON audit_event
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"""
        )
    # No AUTOINCREMENT: the queue only needs order, and AUTOINCREMENT writes sqlite_sequence
    # on every save.
    db.execute(
        """CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY, mutation_id TEXT NOT NULL UNIQUE,
            record_table TEXT NOT NULL, record_id TEXT NOT NULL, case_id TEXT,
            version_id TEXT, base_version_id TEXT, payload TEXT NOT NULL,
            created_at TEXT NOT NULL)"""
    )
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute(
        """CREATE TABLE checklist_form (
            form_id TEXT NOT NULL, version INTEGER NOT NULL, title TEXT NOT NULL,
            body TEXT NOT NULL, sha256 TEXT NOT NULL, installed_at TEXT NOT NULL,
            PRIMARY KEY (form_id, version))"""
    )


@MIGRATIONS(name="0002_attachment_pending")
def attachment_pending(db: Database) -> None:
    """Note attachment files about to be written, so that what a crash leaves can be removed.

    A row is committed before its file is written and deleted in the transaction that records
    the attachment (see `store.pending`); `writer` tells apart two writers of the same content.
    """
    db.execute(
        """CREATE TABLE attachment_pending (
            sha256 TEXT NOT NULL, writer TEXT NOT NULL,
            PRIMARY KEY (sha256, writer)) WITHOUT ROWID"""
    )


VERSIONED_TABLES = ("enterprise", "review_case", *CASE_TABLES)


@MIGRATIONS(name="0003_reviewers_devices")
def reviewers_and_devices(db: Database) -> None:
    """People by id and versions by device: the reviewer registry, each team member's reviewer
    id, the device that made each version, and the acting reviewer's id on audit events.

    Members recorded before the registry existed become registry reviewers (one per name, unit
    and certificate), and earlier versions are credited to this workspace's device.
    """
    import uuid  # here: opening an up-to-date workspace does without it (and `platform`)

    device = str(uuid.uuid4())
    db.execute("INSERT INTO meta (key, value) VALUES ('device_id', ?)", [device])
    db.execute(
        f"""CREATE TABLE reviewer (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, unit TEXT NOT NULL,
            unit_type TEXT NOT NULL, certificate_no TEXT NOT NULL,
            certificate_expiry TEXT NOT NULL, phone TEXT NOT NULL,
            {VERSION_COLUMNS}, device_id TEXT)"""
    )
    db.execute("CREATE INDEX reviewer_name ON reviewer(name)")
    db.execute("ALTER TABLE team_member ADD COLUMN reviewer_id TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE audit_event ADD COLUMN actor_id TEXT")
    for table in VERSIONED_TABLES:
        db.execute(f"ALTER TABLE {table} ADD COLUMN device_id TEXT")
    # Signed rows are immutable; lift the triggers only for this back-fill, in this transaction.
    for table in VERSIONED_TABLES:
        for event in ("update", "delete"):
            db.execute(f"DROP TRIGGER {table}_signed_no_{event}")
        db.execute(f"UPDATE {table} SET device_id = ?", [device])
    people = db.execute(
        """SELECT DISTINCT name, unit, unit_type, certificate_no, certificate_expiry, phone
           FROM team_member ORDER BY name, unit, certificate_no"""
    ).fetchall()
    for name, unit, unit_type, certificate_no, expiry, phone in people:
        reviewer_id = str(uuid.uuid4())
        db.execute(
            """INSERT INTO reviewer (id, name, unit, unit_type, certificate_no,
               certificate_expiry, phone, version_id, base_version_id, updated_at, updated_by,
               locked, device_id)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, datetime('now'), 'migration', 0, ?)""",
            [
                reviewer_id,
                name,
                unit,
                unit_type,
                certificate_no,
                expiry,
                phone,
                str(uuid.uuid4()),
                device,
            ],
        )
        db.execute(
            """UPDATE team_member SET reviewer_id = ?
               WHERE name = ? AND unit = ? AND certificate_no = ?""",
            [reviewer_id, name, unit, certificate_no],
        )
    for table in VERSIONED_TABLES:
        _immutable_when_signed(db, table)


@MIGRATIONS(name="0004_signing_identities")
def signing_identities(db: Database) -> None:
    """Reviewer profiles' secrets and signing identities.

    `reviewer_secret` holds how a reviewer's passphrase becomes the key-encryption key (scrypt
    salt and cost) and a check value that tells a wrong passphrase; `signing_identity` holds a
    reviewer's certificate (public) and private key sealed with AES-GCM under that key. No
    secret is stored in plaintext.
    """
    db.execute(
        """CREATE TABLE reviewer_secret (
            reviewer_id TEXT PRIMARY KEY REFERENCES reviewer(id),
            kdf TEXT NOT NULL, salt BLOB NOT NULL,
            kdf_n INTEGER NOT NULL, kdf_r INTEGER NOT NULL, kdf_p INTEGER NOT NULL,
            check_value BLOB NOT NULL, created_at TEXT NOT NULL)"""
    )
    db.execute(
        """CREATE TABLE signing_identity (
            id TEXT PRIMARY KEY,
            reviewer_id TEXT NOT NULL REFERENCES reviewer(id),
            name TEXT NOT NULL, certificate_no TEXT NOT NULL,
            certificate_pem TEXT NOT NULL, certificate_sha256 TEXT NOT NULL UNIQUE,
            sealed_key BLOB NOT NULL, created_at TEXT NOT NULL)"""
    )
    db.execute("CREATE INDEX signing_identity_reviewer ON signing_identity(reviewer_id)")


@MIGRATIONS(name="0005_sync_inbox")
def sync_inbox(db: Database) -> None:
    """What sync brought down from the central office, kept as it came (one row per change
    of the server's log, by its sequence number) until the store can apply a server's version
    as it is. The pull cursor and the sealed device token live in `meta`."""
    db.execute(
        """CREATE TABLE sync_inbox (
            server_seq INTEGER PRIMARY KEY, record_table TEXT NOT NULL, record_id TEXT NOT NULL,
            case_id TEXT, version_id TEXT, base_version_id TEXT, device_id TEXT NOT NULL,
            payload TEXT NOT NULL, received_at TEXT NOT NULL)"""
    )


# --- sync-pg (issue 9): attachments the central office holds -------------------------------
@MIGRATIONS(name="0006_sync_attachment_sent")
def sync_attachment_sent(db: Database) -> None:
    """Which attachments the central office has received whole (hash-checked there), and for
    which case (an empty case_id: the attachment's own record), so that sync uploads each
    once."""
    db.execute(
        """CREATE TABLE sync_attachment_sent (
            sha256 TEXT NOT NULL, case_id TEXT NOT NULL, sent_at TEXT NOT NULL,
            PRIMARY KEY (sha256, case_id))"""
    )


@MIGRATIONS(name="0006_amendment")
def amendment(db: Database) -> None:
    """Amendments (更正说明) of signed-off cases: a new signed document naming the one it
    corrects. Unlike the other records of a case, an amendment is added to a locked case (it
    has no insert trigger on the case's lock); it is itself signed, so SQLite refuses to change
    or delete it, and the signed records it corrects stay as they are."""
    db.execute(
        f"""CREATE TABLE amendment (
            id TEXT PRIMARY KEY,
            case_id TEXT NOT NULL REFERENCES review_case(id),
            corrects_sha256 TEXT NOT NULL, reason TEXT NOT NULL, text TEXT NOT NULL,
            issued_by TEXT NOT NULL REFERENCES team_member(id), issued_at TEXT NOT NULL,
            document_sha256 TEXT NOT NULL,
            {VERSION_COLUMNS}, device_id TEXT)"""
    )
    db.execute("CREATE INDEX amendment_case ON amendment(case_id)")
    _immutable_when_signed(db, "amendment")


# --- hand signatures (手写签名) ---------------------------------------------------------------


@MIGRATIONS(name="0007_hand_signature")
def hand_signature(db: Database) -> None:
    """Handwritten signatures on the case's documents: a case table like the others (versioned,
    immutable once the case is signed off), one row per document and signer. `image` is the
    PNG attachment's SHA-256; a member is named by member id, the enterprise's representative
    by name.

    Not added to `CASE_TABLES`: the earlier migrations loop over that list, and this table
    does not exist when they run.
    """
    db.execute(
        f"""CREATE TABLE hand_signature (
            id TEXT PRIMARY KEY,
            case_id TEXT NOT NULL REFERENCES review_case(id),
            document TEXT NOT NULL, signer_kind TEXT NOT NULL,
            member_id TEXT REFERENCES team_member(id), representative TEXT,
            image TEXT NOT NULL, signed_at TEXT NOT NULL,
            {VERSION_COLUMNS}, device_id TEXT)"""
    )
    db.execute("CREATE INDEX hand_signature_case ON hand_signature(case_id)")
    db.execute(
        """CREATE UNIQUE INDEX hand_signature_signer ON hand_signature(
            case_id, document, signer_kind, coalesce(member_id, ''),
            coalesce(representative, ''))"""
    )
    db.execute(
        """CREATE TRIGGER hand_signature_signed_case_no_insert BEFORE INSERT ON hand_signature
        WHEN (SELECT locked FROM review_case WHERE id = NEW.case_id) = 1
        BEGIN SELECT RAISE(ABORT, 'signed record is immutable: review_case'); END"""
    )
    _immutable_when_signed(db, "hand_signature")


@MIGRATIONS(name="0008_member_removed")
def member_removed(db: Database) -> None:
    """When a member was removed from the team (移出审查组); NULL for a member on it. A removal is
    a new version of the member, so the history keeps who was on the team."""
    db.execute("ALTER TABLE team_member ADD COLUMN removed_at TEXT")


# --- issue 9, sync (data side): applying what the central office sends -------------------


@MIGRATIONS(name="0009_sync_apply")
def sync_apply(db: Database) -> None:
    """Apply what sync brings down: conflicts kept for the leader (both versions, never
    dropped: `current` is the version in force here, or on the server for a conflict the
    server reported; `other` the version kept apart), the qualified inspection agencies of
    the central office, and, on an inbox row that could not be applied yet, why (it stays,
    and is tried again at the next sync)."""
    db.execute(
        """CREATE TABLE sync_conflict (
            id INTEGER PRIMARY KEY, origin TEXT NOT NULL, server_conflict_id INTEGER UNIQUE,
            server_seq INTEGER, record_table TEXT NOT NULL, record_id TEXT NOT NULL,
            case_id TEXT, current_version_id TEXT, current_record TEXT,
            other_version_id TEXT, other_base_version_id TEXT, other_device_id TEXT,
            other_payload TEXT NOT NULL, reason TEXT NOT NULL, found_at TEXT NOT NULL,
            resolved_at TEXT, resolved_by TEXT, resolution_version_id TEXT)"""
    )
    db.execute("CREATE INDEX sync_conflict_record ON sync_conflict(record_table, record_id)")
    db.execute(
        """CREATE TABLE qualified_agency (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, products TEXT NOT NULL,
            valid_until TEXT, withdrawn INTEGER NOT NULL DEFAULT 0,
            version_id TEXT NOT NULL, received_at TEXT NOT NULL)"""
    )
    db.execute("ALTER TABLE sync_inbox ADD COLUMN problem TEXT")
    # Tells an older version of a record, which this workspace wrote once, from a conflict.
    db.execute("CREATE INDEX audit_event_record_version ON audit_event(record_id, version_id)")


@MIGRATIONS(name="0010_sealed_feedback")
def sealed_feedback(db: Database) -> None:
    """The feedback forms the enterprise filled in on the laptop, kept only as envelopes sealed
    to the central office's key (`sync.sealing`): the team can neither read nor change them."""
    _create_case_table(
        db,
        "sealed_feedback",
        """stage TEXT NOT NULL, envelope TEXT NOT NULL, key_id TEXT NOT NULL,
            sealed_at TEXT NOT NULL, handed_by TEXT NOT NULL REFERENCES team_member(id),
            device_id TEXT""",
    )
    db.execute("CREATE UNIQUE INDEX sealed_feedback_stage ON sealed_feedback(case_id, stage)")


# --- issue 9, sync: cases withdrawn from this laptop's reviewer (begin) -------------------


@MIGRATIONS(name="0011_case_withdrawal")
def case_withdrawal(db: Database) -> None:
    """The cases the central office withdrew from this workspace's reviewer (told at a pull):
    kept whole, with their queued changes, but read-only until the office assigns them again
    (then the row goes). `withdrawn_at` and `withdrawn_by` are the office's."""
    db.execute(
        """CREATE TABLE case_withdrawal (
            case_id TEXT PRIMARY KEY, reviewer_id TEXT NOT NULL, application_no TEXT,
            withdrawn_at TEXT NOT NULL, withdrawn_by TEXT, noticed_at TEXT NOT NULL)"""
    )


# --- issue 9, sync: cases withdrawn (end) ---------------------------------------------------


# --- attachments down (issue 9): finding the photos a sync is to fetch ----------------------
@MIGRATIONS(name="0012_attachments_down")
def attachments_down(db: Database) -> None:
    """Index the checklist results that have photos, so that every sync finds the attachments
    its records name (`store.attachment_fetch`) without scanning every result: a partial index
    holds only results whose evidence is not empty (`'[]'`)."""
    db.execute(
        "CREATE INDEX checklist_result_with_photos ON checklist_result(evidence) "
        "WHERE evidence != '[]'"
    )
