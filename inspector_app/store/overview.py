"""A case at a glance: what the domain says about it today, as plain values for display."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from inspector_app.core.alerts import case_alerts
from inspector_app.core.checklist import answered_results
from inspector_app.core.deadlines import concluded_late, onsite_deadline, sample_send_by
from inspector_app.core.team import check_team_composition, current_filing, has_signed_declaration
from inspector_app.labels import ROLE_LABELS, STAGE_LABELS, STATUS_LABELS
from inspector_app.store.casework import case_form, case_verdict, load_case_file
from inspector_app.store.settings import load_settings
from inspector_app.store.withdrawals import withdrawn_texts


def case_overview(db: Database, case_id: str, now: datetime) -> dict[str, Any]:
    """Return the overview of one case: status, deadlines, team, checklist, samples, alerts.

    Days (today, deadlines, lateness) are the regulation's calendar days of the workspace.
    """
    calendar = load_settings(db).calendar
    today = calendar.day_of(now)
    state = load_case_file(db, case_id)
    case = state.case
    form = case_form(db, case)
    composition = check_team_composition(state.members, case.review_date)
    filing = current_filing(state.filings, state.members)
    return {
        "id": case.id,
        "application_no": case.application_no,
        "enterprise": state.enterprise.name,
        "address": state.enterprise.address,
        "contact": f"{state.enterprise.contact_person} {state.enterprise.phone}",
        "product_unit": case.product_unit,
        "status": case.status.value,
        "status_label": STATUS_LABELS[case.status],
        "form": f"{form.title}（{form.form_id} 第 {form.version} 版）",
        "accepted_on": case.accepted_on.isoformat(),
        "onsite_deadline": onsite_deadline(case.accepted_on).isoformat(),
        "concluded_at": case.concluded_at.isoformat() if case.concluded_at else None,
        "concluded_late": concluded_late(case, calendar),
        "time_zone": calendar.zone_name,
        "team": [
            {
                "reviewer_id": m.reviewer_id,
                "name": m.name,
                "role": ROLE_LABELS[m.role],
                "unit": m.unit,
                "certificate": f"{m.certificate_no}（有效期至 {m.certificate_expiry.isoformat()}）",
                "declaration_signed": has_signed_declaration(m, state.declarations),
            }
            for m in sorted(
                state.members, key=lambda m: (m.role.value != "leader", m.name, m.reviewer_id)
            )
        ],
        "team_problems": [str(p) for p in composition.errors + composition.warnings],
        "filed_at": filing.filed_at.isoformat() if filing else None,
        "checklist": {
            "items": len(form.items()),
            "recorded": len(answered_results(state.results)),
            "results": dict(Counter(r.result for r in answered_results(state.results).values())),
            "verdict": case_verdict(db, state).explain(),
        },
        "samples": [
            {
                "product": s.product_name,
                "agency": s.agency,
                "seals": sorted(seal.seal_no for seal in state.seals if seal.sample_id == s.id),
                "send_by": sample_send_by(s.sampled_at, calendar).isoformat(),
            }
            for s in state.samples
        ],
        "feedback": {
            STAGE_LABELS[h.stage]: h.handed_at.isoformat()
            for h in sorted(state.handovers, key=lambda h: h.handed_at)
        },
        "objections": [o.text for o in state.objections],
        "signed_off": [s.signed_at.isoformat() for s in state.signatures],
        "alerts": [
            *([withdrawn] if (withdrawn := withdrawn_texts(db, calendar).get(case_id)) else []),
            *case_alerts(state, today, calendar),
        ],
    }
