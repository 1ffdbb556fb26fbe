"""The questions of the enterprise feedback form (反馈表), in one place for the printed form and
the form the enterprise fills in on the laptop.

They follow the conduct the regulation forbids (国质检监[2006]499号 企业监督机制; 条例 第十七条):
fees asked, paid consulting pushed, things made difficult (刁难), money or gifts asked, a testing
agency imposed, instruments pushed for sale; then satisfaction and the enterprise's own words.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FeedbackQuestion:
    """One yes/no question of the feedback form: a stable key and its Chinese text."""

    key: str
    text: str


FEEDBACK_QUESTIONS: tuple[FeedbackQuestion, ...] = (
    FeedbackQuestion("fees_asked", "审查（核查）人员是否向企业收取或变相收取费用？"),
    FeedbackQuestion("paid_consulting", "是否向企业推荐或要求接受有偿咨询服务？"),
    FeedbackQuestion("made_difficult", "是否故意刁难企业？"),
    FeedbackQuestion(
        "money_or_gifts", "是否索要、收受企业的钱款、礼品、有价证券或其他不正当利益？"
    ),
    FeedbackQuestion(
        "agency_imposed", "是否强迫企业将样品送到指定的检验机构（而非由企业自主选择）？"
    ),
    FeedbackQuestion("instruments_pushed", "是否向企业推销仪器设备或指定购买产品？"),
)
"""The yes/no questions, in the order of the form."""

ANSWERS = ("是", "否")
SATISFACTION_QUESTION = "对本阶段工作的总体评价"
SATISFACTION_CHOICES = ("满意", "基本满意", "不满意")
FREE_TEXT_QUESTION = "其他意见和建议（可另附页）"
