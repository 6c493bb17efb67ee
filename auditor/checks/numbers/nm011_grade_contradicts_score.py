"""NM011 grade-contradicts-score: the 评价等级 is not the grade the score earns."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.numbers.figures import numbers_pack
from auditor.checks.numbers.scores import number
from auditor.checks.registry import register
from auditor.model import Finding, Severity
from auditor.text.normalize import normalize


@register
class GradeContradictsScore(Rule):
    """评价等级与得分不符（按优 ≥ 90、良 ≥ 80、中 ≥ 60、差 < 60 的分档）。

    ## 问题
    绩效评价情况表、自评表给出了评价得分和评价等级（评价结果），等级却不是该得分所在的档次：
    86 分评“优”、92 分评“良”。分档见 rules/numbers.yaml（grade_bands），等级的写法（优秀、良好、合格……）
    见 grade_words。

    ## 为什么
    财预〔2020〕10号附件规定了评价等级的分档（90 分及以上为优，80–90 为良，60–80 为中，60 以下为差）；
    等级与得分矛盾，评价结论就不可信，也影响结果应用。
    """

    code = "NM011"
    name = "grade-contradicts-score"
    severity = Severity.ERROR
    summary = "评价等级与得分所在分档不符"
    message = "评价得分{score:g}应评“{expected}”，表中却为{text}"
    rationale = "评价等级按得分分档（优≥90、良≥80、中≥60、差<60，财预〔2020〕10号）；等级与得分矛盾，结论不可信。"
    layouts = ("wide", "standard", "summary")
    examples = (
        Example("bad", {"layout": "summary", "projects": [{"name": "某工程", "total_score": 86, "grade": "优"}]},
                field="score"),
        Example("good", {"layout": "summary", "projects": [
            {"name": "某工程", "total_score": 87, "grade": "良"}, {"name": "另一工程", "total_score": 90,
                                                                 "grade": "优秀"}]}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        pack = numbers_pack()
        bands = sorted(((float(low), grade) for grade, low in pack["grade_bands"].items()), reverse=True)
        words = {normalize(word): grade for grade, listed in pack["grade_words"].items() for word in listed}
        for project in ctx.submission.projects:
            score, grade = number(project.total_score), project.grade
            if score is None or grade is None or grade.is_blank:
                continue
            written = words.get(normalize(grade.text).rstrip("等级"))
            if written is None:
                written = words.get(normalize(grade.text))
            expected = next((name for low, name in bands if score >= low), None)
            if written is None or expected is None or written == expected:
                continue
            yield ctx.finding(
                self, project, "score", grade, score=score, expected=expected,
                related=(ctx.place(project, "score", project.total_score),),
                suggestion=f"按得分分档，等级应为“{expected}”；如得分有误，应一并更正",
            )  # fmt: skip
