"""Handwritten signatures (手写签名): each rule tested by a test named after its function, and
the sheet of who signs which document."""

from __future__ import annotations

import io
from dataclasses import replace

from PIL import Image, ImageDraw

from inspector_app.core import chronology, team
from inspector_app.core.calendar import CHINA
from inspector_app.core.hand_signature import (
    SignedDocument,
    expected_signers,
    hand_signature_recorder_problems,
    hand_signer_on_filed_team_problems,
    representative_named_problems,
    signature_image_problems,
    signature_sheet,
    signer_expected_problems,
    signer_key,
)
from inspector_app.core.model import (
    CaseFile,
    CaseStatus,
    HandSignature,
    Role,
    SampleRecord,
    SignerKind,
    TeamFiling,
)
from inspector_app.reports.kinds import DocumentKind
from tests.unit.test_rules_people_time import ENTERPRISE, HOUR, T0, case, member, rules_of

LEADER = member(1, "王建华", Role.LEADER)
MEMBER = member(2, "王建华", unit="中国水泥协会")
THIRD = member(3, "陈志强")
MEMBERS = (LEADER, MEMBER, THIRD)
FILING = TeamFiling("f", "c", T0 - 2 * HOUR, "m1", team.team_fingerprint(MEMBERS), "{}")
SAMPLE = SampleRecord(
    "s",
    "c",
    "水泥",
    "P.O",
    "1",
    "10",
    "1",
    "1",
    "库",
    T0 + 5 * HOUR,
    ("m1", "m2"),
    "周建国",
    "甲",
    True,
)


def png(ink: bool = True, size: tuple[int, int] = (200, 80), mode: str = "RGBA") -> bytes:
    """A PNG of a scribble (or of nothing) on a transparent or white background."""
    image = Image.new(mode, size, (0, 0, 0, 0) if mode == "RGBA" else "white")
    if ink:
        ImageDraw.Draw(image).line(
            [(10, 60), (60, 10), (110, 60), (180, 20)], fill="black", width=3
        )
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def state(status: CaseStatus = CaseStatus.SAMPLED, **kw: object) -> CaseFile:
    concluded = case(status, review_started_at=T0, concluded_at=T0 + 3 * HOUR)
    values: dict[str, object] = {"members": MEMBERS, "filings": (FILING,), "samples": (SAMPLE,)}
    return CaseFile(concluded, ENTERPRISE, **{**values, **kw})  # type: ignore[arg-type]


def sig(document: str = "onsite", member_id: str | None = "m2", **kw: object) -> HandSignature:
    base = HandSignature(
        "h1",
        "c",
        document,
        SignerKind.MEMBER,
        member_id,
        None,
        "0" * 64,
        T0 + 6 * HOUR,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def rep(document: str = "onsite", name: str = "周建国", **kw: object) -> HandSignature:
    return sig(document, None, signer_kind=SignerKind.REPRESENTATIVE, representative=name, **kw)


def test_signed_documents_are_document_kinds() -> None:
    assert {d.value for d in SignedDocument} <= {k.value for k in DocumentKind}


def test_hand_signer_on_filed_team_problems() -> None:
    assert hand_signer_on_filed_team_problems(sig(), state()) == []
    # by id, never by name: a stranger called 王建华 is not on the team
    stranger = sig(member_id="m9")
    assert rules_of(hand_signer_on_filed_team_problems(stranger, state())) == {"signer_on_team"}
    assert rules_of(hand_signer_on_filed_team_problems(sig(member_id=None), state())) == {
        "signer_on_team"
    }
    unfiled = state(filings=())
    assert rules_of(hand_signer_on_filed_team_problems(sig(), unfiled)) == {"signer_on_team"}
    voided = state(members=(*MEMBERS, member(4)))  # a change after the filing voids it
    assert "备案" in hand_signer_on_filed_team_problems(sig(), voided)[0].message
    assert hand_signer_on_filed_team_problems(rep(), unfiled) == []


def test_representative_named_problems() -> None:
    assert representative_named_problems(rep()) == []
    assert representative_named_problems(sig()) == []
    for name in ("", "   ", None):
        assert rules_of(representative_named_problems(rep(name=name))) == {  # type: ignore[arg-type]
            "representative_named"
        }
    assert rules_of(representative_named_problems(rep(name="周" * 101))) == {"representative_named"}
    assert rules_of(representative_named_problems(sig(representative="周建国"))) == {
        "representative_named"
    }
    assert rules_of(representative_named_problems(replace(rep(), member_id="m1"))) == {
        "representative_named"
    }


def test_signer_expected_problems() -> None:
    full = state()
    assert signer_expected_problems(sig("filing", "m1"), full) == []
    assert rules_of(signer_expected_problems(sig("filing", "m2"), full)) == {"signer_expected"}
    assert rules_of(signer_expected_problems(rep("filing"), full)) == {"signer_expected"}
    assert signer_expected_problems(sig("declaration", "m3"), full) == []
    assert rules_of(signer_expected_problems(rep("declaration"), full)) == {"signer_expected"}
    assert signer_expected_problems(rep("onsite", "任何人"), full) == []
    assert signer_expected_problems(sig("sampling", "m2"), full) == []
    assert rules_of(signer_expected_problems(sig("sampling", "m3"), full)) == {"signer_expected"}
    assert signer_expected_problems(rep("sampling", "周建国"), full) == []
    wrong = signer_expected_problems(rep("sampling", "李四"), full)
    assert rules_of(wrong) == {"signer_expected"} and "周建国" in wrong[0].message
    # a document that is not there yet is signed by nobody
    reviewing = state(CaseStatus.ON_SITE_REVIEW, samples=())
    reviewing = replace(reviewing, case=replace(reviewing.case, concluded_at=None))
    assert rules_of(signer_expected_problems(sig("onsite"), reviewing)) == {"signed_document"}
    assert rules_of(signer_expected_problems(sig("sampling", "m1"), reviewing)) == {
        "signed_document"
    }
    assert rules_of(signer_expected_problems(sig("feedback"), full)) == {"signed_document"}


def test_signature_image_problems() -> None:
    assert signature_image_problems(png()) == []
    assert signature_image_problems(png(mode="RGB")) == []
    blank = signature_image_problems(png(ink=False))
    assert rules_of(blank) == {"signature_not_blank"} and "签名板上没有签名" in blank[0].message
    assert rules_of(signature_image_problems(png(ink=False, mode="RGB"))) == {"signature_not_blank"}
    jpeg = io.BytesIO()
    Image.new("RGB", (50, 50)).save(jpeg, "JPEG")
    assert rules_of(signature_image_problems(jpeg.getvalue())) == {"signature_image"}
    assert rules_of(signature_image_problems(b"")) == {"signature_image"}
    truncated = png()[:60]
    assert rules_of(signature_image_problems(truncated)) == {"signature_image"}
    assert rules_of(signature_image_problems(png(size=(5000, 20)))) == {"signature_image"}
    assert rules_of(signature_image_problems(b"\x89PNG\r\n\x1a\n" + b"\0" * (3 << 20))) == {
        "signature_image"
    }


def test_hand_signature_recorder_problems() -> None:
    assert hand_signature_recorder_problems(LEADER, "王建华") == []
    assert rules_of(hand_signature_recorder_problems(None, "张三")) == {"recorder_on_team"}


def test_hand_signature_after_filing_problems() -> None:
    assert chronology.hand_signature_after_filing_problems(T0, state(), CHINA) == []
    early = chronology.hand_signature_after_filing_problems(T0 - 3 * HOUR, state(), CHINA)
    assert rules_of(early) == {"hand_signature_after_filing"}
    unfiled = chronology.hand_signature_after_filing_problems(T0, state(filings=()), CHINA)
    assert "尚未备案" in unfiled[0].message


def test_hand_signature_after_document_problems() -> None:
    full = state()
    after = chronology.hand_signature_after_document_problems
    assert after(sig(signed_at=T0 + 3 * HOUR), full, CHINA) == []
    assert rules_of(after(sig(signed_at=T0 + 2 * HOUR), full, CHINA)) == {
        "hand_signature_after_document"
    }
    assert after(sig("sampling", "m1", signed_at=T0 + 5 * HOUR), full, CHINA) == []
    assert rules_of(after(sig("sampling", "m1", signed_at=T0 + 4 * HOUR), full, CHINA)) == {
        "hand_signature_after_document"
    }
    assert after(rep("sampling", signed_at=T0 + 6 * HOUR), full, CHINA) == []
    assert after(sig("declaration", signed_at=T0 - HOUR), full, CHINA) == []


def test_latest_act_counts_hand_signatures() -> None:
    signed = state(hand_signatures=(sig(signed_at=T0 + 9 * HOUR),))
    assert chronology.latest_act(signed) == (T0 + 9 * HOUR, "手写签名")


def test_signer_key() -> None:
    assert signer_key(rep(name=" 周建国 ")) == signer_key(rep(name="周建国"))
    assert signer_key(sig("onsite", "m1")) != signer_key(sig("onsite", "m2"))
    assert signer_key(sig("onsite", "m1")) != signer_key(sig("declaration", "m1"))


def test_expected_signers() -> None:
    full = state()
    assert expected_signers(full, SignedDocument.FILING) == ([LEADER], None)
    assert expected_signers(full, SignedDocument.ONSITE)[1] == []
    samplers, names = expected_signers(full, SignedDocument.SAMPLING)
    assert {m.id for m in samplers} == {"m1", "m2"} and names == ["周建国"]


def test_signature_sheet() -> None:
    signed = state(hand_signatures=(sig(), rep()))
    lines = signature_sheet(signed)
    onsite = [line for line in lines if line.document == SignedDocument.ONSITE]
    assert len(onsite) == 4  # three members and the representative
    assert [line.signed for line in onsite].count(True) == 2
    assert next(line for line in onsite if line.kind == SignerKind.REPRESENTATIVE).signed
    # both 王建华 are there, told apart by member id (and unit)
    assert sorted(line.member.id for line in onsite if line.member) == ["m1", "m2", "m3"]
    sampling = [line for line in lines if line.document == SignedDocument.SAMPLING]
    assert [(line.kind, line.representative) for line in sampling][-1] == (
        SignerKind.REPRESENTATIVE,
        "周建国",
    )
    assert not any(line.signed for line in sampling)
    nothing_yet = signature_sheet(state(CaseStatus.ACCEPTED, filings=(), samples=()))
    assert {line.document for line in nothing_yet} == {
        SignedDocument.DECLARATION,
        SignedDocument.ONSITE,  # the state helper concludes the case
    }
