"""Case files as an auditor would try them: one case touching another, acts out of time order,
people named by unknown ids, duplicate results, paths as written, versions carried across."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from inspector_app.casefile import reader
from inspector_app.casefile.reader import CaseFileError, parse_case_file
from inspector_app.casefile.replay import import_case
from inspector_app.casefile.writer import case_json
from inspector_app.core.model import Actor
from inspector_app.demo import demo_id
from inspector_app.store.casework import load_case_file
from inspector_app.store.workspace import Workspace, open_workspace
from tests.conftest import DemoWorkspaces

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
CLERK = Actor("00000000-0000-4000-8000-000000000002", "张三")

Doc = dict[str, Any]


@pytest.fixture(scope="module")
def demo_files(
    demo_workspaces: DemoWorkspaces, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """Every demo case's file, by demo key."""
    folder = tmp_path_factory.mktemp("demo") / "ws"
    demo_workspaces.copy(folder, NOW)
    with open_workspace(folder) as workspace:
        return {
            key: case_json(load_case_file(workspace.db, demo_id(key, "case")), workspace)
            for key in "abcdefghi"
        }


@pytest.fixture
def target(tmp_path: Path, demo_files: dict[str, str]) -> Iterator[Workspace]:
    """A workspace that already holds the signed-off case g and the open case c."""
    with open_workspace(tmp_path / "target") as workspace:
        for key in "gc":
            import_case(
                workspace, parse_case_file(demo_files[key].encode()), importer=CLERK, clock=clock
            )
        yield workspace


def clock() -> datetime:
    return NOW


def doc_of(demo_files: dict[str, str], key: str) -> Doc:
    doc: Doc = json.loads(demo_files[key])
    return doc


def refused(workspace: Workspace, doc: Doc) -> CaseFileError:
    """Import `doc`; return the refusal after checking that nothing at all was kept."""
    before = _counts(workspace)
    with pytest.raises(CaseFileError) as error:
        import_case(
            workspace, parse_case_file(json.dumps(doc).encode()), importer=CLERK, clock=clock
        )
    assert _counts(workspace) == before
    return error.value


def _counts(workspace: Workspace) -> tuple[int, ...]:
    tables = ("review_case", "team_member", "checklist_result", "audit_event", "outbox", "reviewer")
    return tuple(workspace.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)


def _as_new_case(doc: Doc, number: str = "XK06-2026-0777") -> Doc:
    doc["case"]["id"] = "77777777-7777-4777-8777-777777777777"
    doc["case"]["application_no"] = number
    return doc


# -- cases cannot touch each other -----------------------------------------------------------


def _rename_member(doc: Doc, old: str, new: str) -> None:
    """Give a member another id, and every record that names the member too."""
    text = json.dumps(doc).replace(old, new)
    doc.clear()
    doc.update(json.loads(text))


def test_a_member_id_of_another_case_is_refused_with_its_path(
    target: Workspace, demo_files: dict[str, str]
) -> None:
    doc = _as_new_case(doc_of(demo_files, "b"))
    other_case_member = demo_id("c", "member", "1")
    _rename_member(doc, doc["members"][2]["id"], other_case_member)
    error = refused(target, doc)
    assert error.path == "$.members[2]" and error.rule == "case_isolation"
    assert other_case_member in str(error) and "XK08-2026-0201" in str(error)
    # the other case is as it was
    state = load_case_file(target.db, demo_id("c", "case"))
    assert any(m.id == other_case_member for m in state.members)


def test_a_result_id_of_a_signed_off_case_is_refused(
    target: Workspace, demo_files: dict[str, str]
) -> None:
    doc = _as_new_case(doc_of(demo_files, "e"))
    doc["enterprise"] = doc_of(demo_files, "e")["enterprise"]
    taken = doc_of(demo_files, "g")["results"][0]["id"]
    doc["results"][3]["id"] = taken
    error = refused(target, doc)
    assert error.path == "$.results[3]" and error.rule == "case_isolation"


def test_a_differing_enterprise_of_a_signed_off_case_is_refused(
    target: Workspace, demo_files: dict[str, str]
) -> None:
    signed = load_case_file(target.db, demo_id("g", "case")).enterprise
    doc = doc_of(demo_files, "a")  # a new case ...
    doc["enterprise"] = doc_of(demo_files, "g")["enterprise"]  # ... of the same enterprise
    doc["enterprise"]["name"] = "改名后的企业"
    doc["case"]["enterprise_id"] = doc["enterprise"]["id"]
    error = refused(target, doc)
    assert error.rule == "enterprise_unchanged" and "名称" in str(error)
    assert load_case_file(target.db, demo_id("g", "case")).enterprise == signed


def test_the_same_enterprise_is_reused_as_it_is(
    target: Workspace, demo_files: dict[str, str]
) -> None:
    doc = doc_of(demo_files, "a")
    doc["enterprise"] = doc_of(demo_files, "g")["enterprise"]
    doc["case"]["enterprise_id"] = doc["enterprise"]["id"]
    import_case(target, parse_case_file(json.dumps(doc).encode()), importer=CLERK, clock=clock)
    assert load_case_file(target.db, demo_id("a", "case")).enterprise.id == doc["enterprise"]["id"]


# -- people by id -----------------------------------------------------------------------------


def test_a_signature_by_an_unknown_id_is_refused_not_given_to_the_leader(
    target: Workspace, demo_files: dict[str, str]
) -> None:
    doc = doc_of(demo_files, "h")
    doc["signatures"][0]["signer_id"] = "66666666-6666-4666-8666-666666666666"
    error = refused(target, doc)
    assert error.path == "$.signatures[0].signer_id" and error.rule == "person_on_team"


def test_a_signature_by_a_member_who_is_not_the_leader_is_refused(
    target: Workspace, demo_files: dict[str, str]
) -> None:
    doc = doc_of(demo_files, "h")
    # The last signature, the sign-off (审查组长签发), claimed by a member: the one who
    # completes the sign-off is not the leader.
    doc["signatures"][-1]["signer_id"] = demo_id("h", "member", "1")
    error = refused(target, doc)
    assert error.path == "$.signatures[2]" and error.rule == "leader_only"


def test_a_member_whose_reviewer_the_file_lacks_is_refused(
    target: Workspace, demo_files: dict[str, str]
) -> None:
    doc = doc_of(demo_files, "b")
    doc["reviewers"] = doc["reviewers"][:1]
    error = refused(target, doc)
    assert error.rule == "person_on_team" and error.path.endswith(".reviewer_id")


def test_the_files_reviewers_join_the_registry_and_a_known_one_is_kept(
    target: Workspace, demo_files: dict[str, str]
) -> None:
    doc = doc_of(demo_files, "e")  # wire-cable: 王建华 (known from case g), 李春梅, 陈志强
    doc["reviewers"][0]["phone"] = "00000000"
    known = {r["id"] for r in doc["reviewers"]}
    import_case(target, parse_case_file(json.dumps(doc).encode()), importer=CLERK, clock=clock)
    rows = target.db.execute("SELECT id, phone FROM reviewer").fetchall()
    assert known <= {row[0] for row in rows}
    assert "00000000" not in {row[1] for row in rows}  # the registry's entry stays as it was


# -- acts in time order -----------------------------------------------------------------------


def _shift(doc: Doc, path: list[Any], delta: timedelta) -> None:
    node: Any = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = (datetime.fromisoformat(node[path[-1]]) + delta).isoformat()


@pytest.mark.parametrize(
    ("key", "change", "where", "rule"),
    [
        (
            "c",
            lambda d: _shift(d, ["results", 0, "assessed_at"], -timedelta(days=20)),
            "$.results[0]",
            "result_within_review",
        ),
        (
            "c",
            lambda d: _shift(d, ["case", "review_started_at"], -timedelta(days=20)),
            "$.case.review_started_at",
            "review_after_filing",
        ),
        (
            "b",
            lambda d: _shift(d, ["filings", 0, "filed_at"], -timedelta(days=3)),
            "$.filings[0]",
            "filing_after_acceptance",
        ),
        (
            "f",
            lambda d: _shift(d, ["samples", 0, "sampled_at"], -timedelta(hours=20)),
            "$.samples[0]",
            "sampling_after_conclusion",
        ),
        (
            "g",
            lambda d: _shift(d, ["signatures", 0, "signed_at"], -timedelta(days=1)),
            "$.signatures[",  # the sign-off is one step: it names the leader's signature
            "sign_off_last",
        ),
        (
            "h",
            lambda d: _shift(d, ["objections", 0, "recorded_at"], -timedelta(days=1)),
            "$.objections[0]",
            "objection_after_conclusion",
        ),
        (
            "c",
            lambda d: _shift(d, ["declarations", 0, "signed_at"], timedelta(days=6)),
            "$.results[",
            "declaration_before_result",
        ),
        (
            "c",
            lambda d: _shift(d, ["declarations", 0, "signed_at"], -timedelta(days=400)),
            "$.declarations[0]",
            "declaration_after_acceptance",
        ),
        (
            "h",
            lambda d: _shift(d, ["handovers", 0, "handed_at"], timedelta(days=60)),
            "$.handovers[0]",
            "not_in_future",
        ),
    ],
)
def test_acts_out_of_time_order_are_refused(
    tmp_path: Path,
    demo_files: dict[str, str],
    key: str,
    change: Callable[[Doc], None],
    where: str,
    rule: str,
) -> None:
    doc = doc_of(demo_files, key)
    change(doc)
    with open_workspace(tmp_path / "fresh") as workspace:
        error = refused(workspace, doc)
    assert f"规则 {rule}" in str(error), str(error)
    assert error.path.startswith(where), error.path


# -- messages point to the place as written ---------------------------------------------------


def test_a_refused_result_is_named_by_its_place_in_the_file(
    tmp_path: Path, demo_files: dict[str, str]
) -> None:
    doc = doc_of(demo_files, "c")
    doc["results"].reverse()  # the file's order is not the order of the acts
    doc["results"][2]["result"] = "差不多"
    with open_workspace(tmp_path / "fresh") as workspace:
        error = refused(workspace, doc)
    assert error.path == "$.results[2]", str(error)


def test_two_results_for_one_item_are_refused_naming_both(demo_files: dict[str, str]) -> None:
    doc = doc_of(demo_files, "c")
    twin = dict(doc["results"][1], id="44444444-4444-4444-8444-444444444444")
    doc["results"].append(twin)
    last = len(doc["results"]) - 1
    with pytest.raises(CaseFileError) as error:
        parse_case_file(json.dumps(doc).encode())
    assert error.value.rule == "one_result_per_item"
    assert "$.results[1]" in str(error.value) and f"$.results[{last}]" in str(error.value)


def test_an_oversize_attachment_names_the_file_the_path_and_the_limit(
    demo_files: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "MAX_ATTACHMENT_BYTES", 40)
    doc = doc_of(demo_files, "f")
    with pytest.raises(CaseFileError) as error:
        parse_case_file(json.dumps(doc).encode())
    message = str(error.value)
    assert error.value.path == "$.attachments[0].data_base64"
    assert doc["attachments"][0]["original_name"] in message and "MB" in message


# -- versions survive a case file --------------------------------------------------------------


def test_versions_and_devices_travel_with_the_file(
    tmp_path: Path, demo_files: dict[str, str]
) -> None:
    doc = doc_of(demo_files, "f")
    origin = doc["case"]["device_id"]
    with open_workspace(tmp_path / "other") as workspace:
        import_case(
            workspace, parse_case_file(demo_files["f"].encode()), importer=CLERK, clock=clock
        )
        here = workspace.db.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
        assert here[0] != origin
        again = json.loads(case_json(load_case_file(workspace.db, demo_id("f", "case")), workspace))
        assert again == doc
        # only the carried versions are queued for the central office, each naming its base
        queued = workspace.db.execute(
            "SELECT version_id, base_version_id FROM outbox WHERE case_id = ?",
            [doc["case"]["id"]],
        ).fetchall()
    carried = {(r["version_id"], r["base_version_id"]) for r in doc["results"]}
    carried.add((doc["case"]["version_id"], doc["case"]["base_version_id"]))
    assert carried <= set(queued)
    assert {v for v, _ in queued} <= _all_versions(doc)


def _all_versions(doc: Doc) -> set[str]:
    found = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "version_id" in node:
                found.add(node["version_id"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)
    return found


def test_a_superseded_filing_of_a_one_member_team_is_never_stored(
    tmp_path: Path, demo_files: dict[str, str]
) -> None:
    doc = doc_of(demo_files, "b")  # team filed
    current = doc["filings"][0]
    alone = json.loads(current["content"])
    alone["members"] = alone["members"][:1]
    earlier = dict(
        current,
        id="55555555-5555-4555-8555-555555555555",
        version_id="55555555-5555-4555-8555-555555555556",
        filed_at=(datetime.fromisoformat(current["filed_at"]) - timedelta(minutes=30)).isoformat(),
        content=json.dumps(alone, ensure_ascii=False),
    )
    doc["filings"].insert(0, earlier)
    with open_workspace(tmp_path / "fresh") as workspace:
        error = refused(workspace, doc)
        assert workspace.db.execute("SELECT count(*) FROM team_filing").fetchone()[0] == 0
    assert error.path == "$.filings[0]" and error.rule == "team_size"


# -- the time zone the case was judged in ----------------------------------------------------


def _set_zone(workspace: Workspace, zone: str) -> None:
    from inspector_app.store.settings import save_setting

    save_setting(workspace.db, "time_zone", zone, actor=CLERK, now=NOW)


def test_a_case_file_records_the_time_zone_of_its_dates(demo_files: dict[str, str]) -> None:
    assert doc_of(demo_files, "c")["time_zone"] == "Asia/Shanghai"
    assert parse_case_file(demo_files["c"].encode()).time_zone == "Asia/Shanghai"


def test_a_case_file_of_another_time_zone_is_refused_naming_both(
    tmp_path: Path, demo_files: dict[str, str]
) -> None:
    with open_workspace(tmp_path / "utc") as workspace:
        _set_zone(workspace, "UTC")
        error = refused(workspace, doc_of(demo_files, "c"))
        assert error.rule == "case.time_zone" and error.path == "$.time_zone"
        assert "Asia/Shanghai" in error.detail and "UTC" in error.detail
        assert workspace.db.execute("SELECT count(*) FROM review_case").fetchone()[0] == 0
        _set_zone(workspace, "Asia/Shanghai")  # what the message tells the user to do
        import_case(
            workspace, parse_case_file(demo_files["c"].encode()), importer=CLERK, clock=clock
        )
        assert workspace.db.execute("SELECT count(*) FROM review_case").fetchone()[0] == 1


def test_a_case_file_written_in_utc_is_refused_by_a_beijing_workspace(
    tmp_path: Path, demo_files: dict[str, str]
) -> None:
    doc = doc_of(demo_files, "c")
    doc["time_zone"] = "UTC"
    with open_workspace(tmp_path / "cn") as workspace:
        assert refused(workspace, doc).rule == "case.time_zone"


def test_an_older_case_file_without_a_time_zone_still_imports(
    tmp_path: Path, demo_files: dict[str, str]
) -> None:
    doc = doc_of(demo_files, "c")
    del doc["time_zone"]
    with open_workspace(tmp_path / "old") as workspace:
        _set_zone(workspace, "Asia/Urumqi")
        case_id = import_case(
            workspace, parse_case_file(json.dumps(doc).encode()), importer=CLERK, clock=clock
        )
        assert case_id == doc["case"]["id"]


@pytest.mark.parametrize("zone", ["", 5, "x" * 65])
def test_a_malformed_time_zone_is_refused_by_the_schema(
    demo_files: dict[str, str], zone: object
) -> None:
    doc = doc_of(demo_files, "c")
    doc["time_zone"] = zone
    with pytest.raises(CaseFileError) as error:
        parse_case_file(json.dumps(doc).encode())
    assert "time_zone" in str(error.value)
