"""Handwritten signatures in case files: carried with their PNGs, replayed through the same
rules, and older files without them still import."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from inspector_app.casefile.reader import CaseFileError, parse_case_file
from inspector_app.casefile.replay import import_case
from inspector_app.casefile.writer import case_json
from inspector_app.demo import demo_id, fill_demo
from inspector_app.store.attachments import attachment_path
from inspector_app.store.casework import load_case_file
from inspector_app.store.workspace import Workspace, open_workspace
from tests.unit.test_casefile_integrity import CLERK, NOW, clock
from tests.unit.test_hand_signature import png


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("demo") / "ws"
    with open_workspace(folder) as workspace:
        fill_demo(workspace, NOW)
        return {
            key: case_json(load_case_file(workspace.db, demo_id(key, "case")), workspace)
            for key in "cfg"
        }


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Workspace]:
    with open_workspace(tmp_path / "target") as workspace:
        yield workspace


def load(text: str | dict[str, Any]) -> Any:
    raw = text if isinstance(text, str) else json.dumps(text, ensure_ascii=False)
    return parse_case_file(raw.encode())


def imported(workspace: Workspace, text: str | dict[str, Any]) -> str:
    return import_case(workspace, load(text), importer=CLERK, clock=clock)


def refused(workspace: Workspace, doc: dict[str, Any]) -> CaseFileError:
    before = workspace.db.execute("SELECT count(*) FROM audit_event").fetchone()[0]
    with pytest.raises(CaseFileError) as error:
        imported(workspace, doc)
    assert workspace.db.execute("SELECT count(*) FROM audit_event").fetchone()[0] == before
    assert workspace.db.execute("SELECT count(*) FROM hand_signature").fetchone()[0] == 0
    return error.value


@pytest.mark.parametrize("key", ["f", "g"])  # sampled; signed off
def test_hand_signatures_round_trip(target: Workspace, files: dict[str, str], key: str) -> None:
    doc = json.loads(files[key])
    carried = doc["hand_signatures"]
    assert {h["document"] for h in carried} == {"filing", "declaration", "onsite", "sampling"}
    assert {h["signer_kind"] for h in carried} == {"member", "representative"}
    case_id = imported(target, files[key])
    state = load_case_file(target.db, case_id)
    assert len(state.hand_signatures) == len(carried)
    for signature in state.hand_signatures:
        data = attachment_path(target, signature.image).read_bytes()
        assert hashlib.sha256(data).hexdigest() == signature.image
    # the same versions, the same bytes: exported again, the file is the file
    assert case_json(state, target) == files[key]


def test_a_file_without_hand_signatures_has_no_such_key_and_imports(
    target: Workspace, files: dict[str, str]
) -> None:
    assert "hand_signatures" not in json.loads(files["c"])
    case_id = imported(target, files["c"])
    assert load_case_file(target.db, case_id).hand_signatures == ()


def test_an_older_file_without_hand_signatures_still_imports(
    target: Workspace, files: dict[str, str]
) -> None:
    doc = json.loads(files["g"])
    images = {h["image"] for h in doc.pop("hand_signatures")}
    doc["attachments"] = [a for a in doc["attachments"] if a["sha256"] not in images]
    case_id = imported(target, doc)
    state = load_case_file(target.db, case_id)
    assert state.hand_signatures == () and state.case.status.value == "signed_off"


def test_a_hand_signature_of_a_stranger_is_refused(
    target: Workspace, files: dict[str, str]
) -> None:
    doc = json.loads(files["f"])
    member = next(h for h in doc["hand_signatures"] if h["member_id"])
    member["member_id"] = "00000000-0000-4000-8000-000000000099"
    error = refused(target, doc)
    assert error.rule == "person_on_team" and error.path.endswith(".member_id")


def test_an_image_the_file_does_not_carry_is_refused(
    target: Workspace, files: dict[str, str]
) -> None:
    doc = json.loads(files["f"])
    doc["hand_signatures"][0]["image"] = "0" * 64
    error = refused(target, doc)
    assert error.rule == "signature_image" and error.path == "$.hand_signatures[0].image"


def test_a_blank_signature_in_a_file_is_refused_by_the_replay(
    target: Workspace, files: dict[str, str]
) -> None:
    doc = json.loads(files["f"])
    blank = png(ink=False)
    digest = hashlib.sha256(blank).hexdigest()
    doc["attachments"].append(
        {
            "sha256": digest,
            "media_type": "image/png",
            "original_name": "空白.png",
            "data_base64": base64.b64encode(blank).decode(),
        }
    )
    doc["hand_signatures"][2]["image"] = digest
    error = refused(target, doc)
    assert error.rule == "signature_not_blank"
    assert error.path == "$.hand_signatures[2]"


def test_two_signatures_of_one_signer_on_one_document_are_refused(
    target: Workspace, files: dict[str, str]
) -> None:
    doc = json.loads(files["f"])
    twin = dict(doc["hand_signatures"][0], id="00000000-0000-4000-8000-0000000000aa")
    doc["hand_signatures"].append(twin)
    error = refused(target, doc)
    assert error.rule == "one_hand_signature"


def test_a_hand_signature_after_the_sign_off_is_refused(
    target: Workspace, files: dict[str, str]
) -> None:
    doc = json.loads(files["g"])
    doc["hand_signatures"][-1]["signed_at"] = "2026-05-31T23:59:00+08:00"
    error = refused(target, doc)
    assert error.rule == "sign_off_last"


def test_a_hand_signature_before_the_filing_is_refused(
    target: Workspace, files: dict[str, str]
) -> None:
    doc = json.loads(files["f"])
    doc["hand_signatures"][0]["signed_at"] = "2020-01-01T09:00:00+08:00"
    error = refused(target, doc)
    assert error.rule in {"hand_signature_after_filing", "hand_signature_after_document"}


def test_a_case_file_names_no_other_case_in_its_attachments(tmp_path: Path) -> None:
    """A signature drawn once and saved in two cases is one attachment (stored by hash): its
    name must not carry the first case's application number into the second case's file."""
    with open_workspace(tmp_path / "ws") as workspace:
        fill_demo(workspace, NOW)
        files = {
            key: json.loads(
                case_json(load_case_file(workspace.db, demo_id(key, "case")), workspace)
            )
            for key in "abcdefghi"
        }
    numbers = {key: doc["case"]["application_no"] for key, doc in files.items()}
    hashes = [{a["sha256"] for a in doc["attachments"]} for doc in files.values()]
    shared = [a & b for i, a in enumerate(hashes) for b in hashes[i + 1 :] if a & b]
    assert shared, "the demo's cases share a signature image: the case this test is about"
    for key, doc in files.items():
        others = [n for k, n in numbers.items() if k != key]
        for attachment in doc["attachments"]:
            named = [n for n in others if n in attachment["original_name"]]
            assert not named, (numbers[key], attachment["original_name"])
