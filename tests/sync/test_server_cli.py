"""`inspector-server` commands: case assign (by name or id, ambiguous names refused), reference
import (CSV and JSON, malformed files refused with a message and no traceback), form publish,
status, and the office's key pair made at the first start."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from inspector_app.casefile.writer import case_json
from inspector_app.store.casework import load_case_file
from inspector_app.store.sql import fetch_one
from inspector_app.store.workspace import Workspace
from sync.protocol import Reviewer
from sync.server.app import create_app
from sync.server.cli import cli
from sync.server.keys import PRIVATE_FILE, PUBLIC_FILE
from sync.server.office import open_office
from sync.server.storage import reviewer as reviewer_table
from tests.sync.asgi import asgi_client
from tests.sync.conftest import HEADERS


def run(data: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--data", str(data), *args])


def refused(result: Result, *words: str) -> None:
    """The command failed with a message and without a traceback."""
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, result.output


def add_user(data: Path, name: str, unit: str = "江苏省质检院") -> str:
    result = run(
        data,
        *("user", "add", name, "--unit", unit, "--unit-type", "other", "--role", "reviewer"),
        *("--certificate", "XKSC-2026-0001", "--expires", "2030-12-31"),
    )
    assert result.exit_code == 0, result.output
    return result.output.split("(id ")[1].split(")")[0]


@pytest.fixture
def case_file(workspace: Workspace, tmp_path: Path) -> Path:
    row = fetch_one(workspace.db, "SELECT id FROM review_case ORDER BY application_no", [])
    assert row is not None
    path = tmp_path / "case.json"
    path.write_text(case_json(load_case_file(workspace.db, row["id"]), workspace), "utf-8")
    return path


def test_case_assign_by_name_and_id_and_ambiguous_names(case_file: Path, tmp_path: Path) -> None:
    data = tmp_path / "office"
    wang = add_user(data, "王建华")
    li_a = add_user(data, "李明", "甲单位")
    add_user(data, "李明", "乙单位")

    ambiguous = run(data, "case", "assign", str(case_file), "--team", "李明")
    refused(ambiguous, "2 reviewers are named '李明'", "甲单位", "乙单位")
    unknown = run(data, "case", "assign", str(case_file), "--team", "nobody")
    refused(unknown, "no reviewer")
    made = run(data, "case", "assign", str(case_file), "--team", "王建华")
    assert made.exit_code == 0, made.output
    assert wang in made.output and "records published" in made.output
    # the zone the case's days were counted in does not travel: the office is told to say so
    assert "time zone Asia/Shanghai" in made.output
    document = json.loads(case_file.read_text("utf-8"))
    again = run(data, "case", "assign", str(case_file), "--team", wang, li_a)
    assert "records published 0" in again.output  # nothing twice
    assert wang in again.output and li_a in again.output  # several after one --team

    storage = open_office(data)
    try:
        with asgi_client(create_app(storage)) as http:
            code = storage.add_reviewer(  # a device of a reviewer the case is not assigned to
                Reviewer(id="other", name="他人", unit="u", unit_type="other", role="reviewer")
            )
            token = http.post(
                "/v1/enroll", json={"code": code, "device_id": "d-x"}, headers=HEADERS
            ).json()["token"]
            seen = http.get(
                "/v1/changes", headers={**HEADERS, "Authorization": f"Bearer {token}"}
            ).json()["changes"]
            assert not [c for c in seen if c["case_id"] == document["case"]["id"]]
    finally:
        storage.close()


def test_case_assign_refuses_a_broken_file(tmp_path: Path) -> None:
    data = tmp_path / "office"
    add_user(data, "王建华")
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "inspector-case/2", "case": ', "utf-8")
    refused(run(data, "case", "assign", str(broken), "--team", "王建华"), "not a valid case file")
    refused(
        run(data, "case", "assign", str(tmp_path / "missing.json"), "--team", "王建华"),
        "cannot read",
    )


AGENCIES_CSV = """id,name,products,valid_until
JS-001,江苏省产品质量监督检验研究院,电线电缆;水泥,2028-12-31
SD-002,山东省产品质量检验研究院,建筑用钢筋,
"""


def test_reference_import_csv_and_json_and_withdrawal(tmp_path: Path) -> None:
    data = tmp_path / "office"
    csv_file = tmp_path / "agencies.csv"
    csv_file.write_text(AGENCIES_CSV, "utf-8")
    first = run(data, "reference", "import", str(csv_file))
    assert first.exit_code == 0, first.output
    assert "2 agencies: 2 new or changed" in first.output
    json_file = tmp_path / "agencies.json"
    json_file.write_text(
        json.dumps(
            {
                "format": "inspector-agencies/1",
                "agencies": [
                    {
                        "id": "JS-001",
                        "name": "江苏省产品质量监督检验研究院",
                        "products": ["电线电缆", "水泥"],
                        "valid_until": "2028-12-31",
                    }
                ],
            },
            ensure_ascii=False,
        ),
        "utf-8",
    )
    second = run(data, "reference", "import", str(json_file))
    assert "1 unchanged, 1 withdrawn" in second.output, second.output
    status = run(data, "status", "--json")
    assert json.loads(status.output)["agencies"] == 1


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\xff\xfe\x00garbage", ["not UTF-8"]),
        (b"name,id\nx,y\n", ["header id,name,products,valid_until"]),
        ("id,name,products,valid_until\nA-1,甲,水泥\n".encode(), ["line 2", "4 columns"]),
        ("id,name,products,valid_until\nA 1,甲,水泥,\n".encode(), ["line 2", "id must"]),
        ("id,name,products,valid_until\nA-1,甲,,\n".encode(), ["at least one product"]),
        ("id,name,products,valid_until\nA-1,甲,水泥,2028-02-30\n".encode(), ["not a date"]),
        ("id,name,products,valid_until\nA-1,甲,水泥,\nA-1,乙,水泥,\n".encode(), ["twice"]),
        (b'{"format": "other"}', ["inspector-agencies/1"]),
        (b'{"format": "inspector-agencies/1", "agencies": [{"id": "A", "x": 1}]}', ["unknown"]),
        (b"[" * 100000, ["not valid JSON"]),
        (b"", ["lists no agency"]),
    ],
)
def test_reference_import_refuses_malformed_files(
    tmp_path: Path, content: bytes, words: list[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    result = run(tmp_path / "office", "reference", "import", str(bad))
    refused(result, *words, "nothing was imported")


def test_status_lists_devices_last_syncs_and_pending_conflicts(tmp_path: Path) -> None:
    data = tmp_path / "office"
    storage = open_office(data)
    try:
        with asgi_client(create_app(storage)) as http:
            from sync.server.assignments import assign_by_id
            from tests.sync.conftest import new_code
            from tests.sync.test_server import mutation, push

            tokens = []
            for device in ("laptop-a", "laptop-b"):
                made = http.post(
                    "/v1/enroll",
                    json={"code": new_code(storage), "device_id": device},
                    headers=HEADERS,
                ).json()
                assign_by_id(storage, "c-1", made["reviewer"]["id"])
                tokens.append({**HEADERS, "Authorization": f"Bearer {made['token']}"})
            push(http, tokens[0], mutation(1), mutation(2))
            push(http, tokens[1], mutation(3, mutation_id="late", base_version_id="v-1"))
    finally:
        storage.close()
    shown = run(data, "status")
    assert shown.exit_code == 0, shown.output
    assert "devices: 2" in shown.output
    assert "laptop-a" in shown.output and "mutations 2" in shown.output
    assert "never" not in shown.output.split("laptop-a")[1].split("\n")[0]
    assert "pending conflicts: 1" in shown.output and "stale base version" in shown.output
    assert "(version) checklist_result" in shown.output


def test_the_office_key_pair_is_made_once_private_key_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "office"
    run(data, "status")
    private = data / PRIVATE_FILE
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    public = (data / PUBLIC_FILE).read_text().strip()
    run(data, "status")
    assert (data / PUBLIC_FILE).read_text().strip() == public  # not made again
    storage = open_office(data)
    try:
        with asgi_client(create_app(storage)) as http:
            from tests.sync.conftest import token_for

            headers = token_for(http, storage)
            assert http.get("/v1/server-key", headers=headers).json()["public_key"] == public
            keys = [
                c
                for c in http.get("/v1/changes", headers=headers).json()["changes"]
                if c["record_table"] == "server_key"
            ]
            assert len(keys) == 1  # published once, not at every start
    finally:
        storage.close()
    private.write_text("not a key")
    refused(run(data, "status"), "cannot read the office's private key")


def test_form_publish_goes_down_to_the_laptop(tmp_path: Path, workspace: Workspace) -> None:
    from inspector_app.formio.jsonfile import form_to_json
    from inspector_app.store.form_library import list_forms

    form = list_forms(workspace.db)[0]
    from dataclasses import replace

    newer = replace(form, version=form.version + 1)
    path = tmp_path / "form.json"
    path.write_text(form_to_json(newer), "utf-8")
    data = tmp_path / "office"
    assert "published" in run(data, "form", "publish", str(path)).output
    assert "unchanged" in run(data, "form", "publish", str(path)).output
    path.write_text(form_to_json(replace(newer, title=newer.title + "（改）")), "utf-8")
    refused(run(data, "form", "publish", str(path)), "already published with other content")
    broken = tmp_path / "broken-form.json"
    broken.write_text('{"form_id": 1}', "utf-8")
    refused(run(data, "form", "publish", str(broken)), "nothing was published")

    storage = open_office(data)
    try:
        with asgi_client(create_app(storage)) as http:
            from sync.client.engine import enroll, run_sync
            from tests.sync.conftest import CHEAP_KDF, NOW, PASSPHRASE, new_code

            agencies = tmp_path / "a.csv"
            agencies.write_text(AGENCIES_CSV, "utf-8")
            from sync.server.reference import import_agencies, parse_agencies

            import_agencies(storage, parse_agencies(agencies.read_bytes()))
            enroll(
                workspace.db,
                http,
                server_url="http://testserver",
                code=new_code(storage),
                passphrase=PASSPHRASE,
                kdf_n=CHEAP_KDF,
            )
            run_sync(workspace.db, http, passphrase=PASSPHRASE, now=NOW)
    finally:
        storage.close()
    versions = {(f.form_id, f.version) for f in list_forms(workspace.db)}
    assert (newer.form_id, newer.version) in versions
    agencies_here = fetch_one(workspace.db, "SELECT count(*) AS n FROM qualified_agency", [])
    assert agencies_here == {"n": 2}
    key = fetch_one(workspace.db, "SELECT value FROM meta WHERE key = 'sync.centre_public_key'")
    assert key is not None and key["value"] == (data / PUBLIC_FILE).read_text().strip()
    assert httpx  # the module's client type is used by the fixtures


def test_user_add_refuses_a_reviewer_without_a_certificate_or_with_an_unknown_unit_type(
    tmp_path: Path,
) -> None:
    """A reviewer or leader of the registry goes down to every laptop and onto teams: without
    a certificate (条例第十六条) or with a unit type the laptops do not know (it would become
    "其他" there, and the team's unit-type check with it), the office is told at once."""
    data = tmp_path / "office"
    base = ["user", "add", "李明", "--unit", "山东省质检院"]
    refused(run(data, *base, "--unit-type", "other", "--role", "reviewer"), "--certificate")
    refused(
        run(
            data,
            *base,
            "--unit-type",
            "other",
            "--role",
            "leader",
            "--certificate",
            "XKSC-2026-0009",
        ),
        "--expires",
    )
    refused(
        run(
            data,
            *base,
            "--unit-type",
            "inspection_agency",
            "--role",
            "reviewer",
            "--certificate",
            "XKSC-2026-0009",
            "--expires",
            "2030-12-31",
        ),
        "inspection_agency",
    )
    storage = open_office(data)
    try:
        with storage.reading() as conn:
            assert conn.execute(select(reviewer_table)).first() is None
    finally:
        storage.close()
    clerk = run(
        data,
        "user",
        "add",
        "周文",
        "--unit",
        "省局",
        "--unit-type",
        "provincial_bureau",
        "--role",
        "clerk",
    )
    assert clerk.exit_code == 0, clerk.output
