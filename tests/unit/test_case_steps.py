"""How the steps of a case stand (core/case_steps.py), from the demo's cases at each stage."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from inspector_app.core.calendar import CHINA
from inspector_app.core.case_steps import StepKey, StepState, case_steps
from inspector_app.core.model import CaseFile, CaseStatus
from inspector_app.demo import demo_id
from inspector_app.store.casework import load_case_file
from inspector_app.store.workspace import open_workspace
from tests.conftest import DemoWorkspaces

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def states(
    demo_workspaces: DemoWorkspaces, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("steps") / "ws"
    demo_workspaces.copy(folder, NOW)
    with open_workspace(folder) as workspace:
        return {key: load_case_file(workspace.db, demo_id(key, "case")) for key in "abcdefg"}


def steps_of(states: dict[str, object], key: str) -> dict[StepKey, tuple[StepState, str]]:
    found = case_steps(states[key], CHINA.day_of(NOW), CHINA)  # type: ignore[arg-type]
    assert [s.key for s in found] == list(StepKey)  # every step, in the review's order
    return {s.key: (s.state, s.reason) for s in found}


def test_case_steps(states: dict[str, object]) -> None:
    accepted = steps_of(states, "a")
    assert accepted[StepKey.TEAM][0] == StepState.TO_DO and "备案" in accepted[StepKey.TEAM][1]
    assert accepted[StepKey.ON_SITE][0] == StepState.BLOCKED
    assert accepted[StepKey.SAMPLING][0] == StepState.BLOCKED
    assert "合格后" in accepted[StepKey.SAMPLING][1]  # the domain's own words

    filed = steps_of(states, "b")
    assert filed[StepKey.TEAM][0] == StepState.DONE
    assert filed[StepKey.ON_SITE][0] == StepState.TO_DO

    in_review = steps_of(states, "c")
    assert in_review[StepKey.ON_SITE][0] == StepState.TO_DO
    assert in_review[StepKey.SIGN_OFF][0] == StepState.BLOCKED

    passed = steps_of(states, "d")
    assert passed[StepKey.ON_SITE][0] == StepState.DONE
    assert passed[StepKey.SAMPLING][0] == StepState.TO_DO
    assert passed[StepKey.OBJECTION][0] == StepState.TO_DO
    assert passed[StepKey.SIGN_OFF][0] == StepState.BLOCKED  # not without its sampling

    sampled = steps_of(states, "f")
    assert sampled[StepKey.SAMPLING][0] == StepState.DONE
    assert sampled[StepKey.SIGN_OFF][0] == StepState.TO_DO

    signed = steps_of(states, "g")
    assert signed[StepKey.SIGN_OFF][0] == StepState.DONE
    assert signed[StepKey.OBJECTION][0] == StepState.BLOCKED
    assert "签发" in signed[StepKey.OBJECTION][1]


def test_case_steps_a_failed_review_has_no_inspection_stage_to_hand_a_form_for(
    states: dict[str, object],
) -> None:
    """A failed review takes no samples: the product inspection stage never comes, so its
    feedback form is owed by nobody; the step is done once the acceptance and on-site forms
    are handed over, and stays done once the case is signed off."""
    failed = steps_of(states, "e")
    assert failed[StepKey.SAMPLING][0] == StepState.BLOCKED
    assert failed[StepKey.FEEDBACK][0] == StepState.DONE, failed[StepKey.FEEDBACK]
    state = states["e"]
    assert isinstance(state, CaseFile)
    signed = {**states, "e": replace(state, case=replace(state.case, status=CaseStatus.SIGNED_OFF))}
    assert steps_of(signed, "e")[StepKey.FEEDBACK][0] == StepState.DONE
    # a passed case still owes the inspection stage's form
    assert steps_of(states, "d")[StepKey.FEEDBACK][0] == StepState.TO_DO
