"""CP002 completion-near-copy: the completion is the target with trivial changes."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checks.base import Context, Example, Rule
from auditor.checks.copy.pairs import CP002_COLUMNS, CP002_WIDE, near_copied, pair_verdict
from auditor.checks.options import is_not_applicable
from auditor.checks.registry import register
from auditor.checks.suggestions import completion_suggestion
from auditor.model import Finding, Layout, Severity
from auditor.text.nlp import analyze
from auditor.text.similarity import plain_figure, similarity


def _new_figures(target: str, completion: str) -> bool:
    """The completion states a figure the target did not."""
    before = {(q.value, q.unit) for q in analyze(target).quantities}
    return any((q.value, q.unit) not in before for q in analyze(completion).quantities)


@register
class CompletionNearCopy(Rule):
    """完成值只是把年度指标值稍作改动（增删“已”“及时”“工作”“完成”等字），没有写出实际完成情况。

    ## 问题
    完成值与年度指标值高度相似，或只差“已”“及时”“工作”“完成”之类的字，且没有增加任何实际数值。

    ## 为什么
    与完全照抄（CP001）一样，这样的完成值没有反映实际完成情况，复核时视为未如实自评。
    标准表式中完成值是一个单纯的数值或日期（“20000亩”对“≥20000亩”）时，是恰好达到门槛，不报告。
    """

    code = "CP002"
    name = "completion-near-copy"
    severity = Severity.WARNING
    summary = "完成值与年度指标值几乎相同，只改了个别字词"
    message = "完成值与年度指标值几乎相同（相似度{ratio:.0f}%），没有写出实际完成情况"
    rationale = "稍作改动的照抄与完全照抄一样没有反映实际完成情况（财预〔2020〕10号要求如实自评）。"
    examples = (
        Example("bad", {"indicators": {"时效指标": ["网格化管理指挥系统工作及开展完成,按时完成支付",
                                                   "网格化管理指挥系统及时开展完成,按时完成支付"]}},
                field="completion", indicator="时效指标"),
        Example("bad", {"indicators": {"时效指标": ["及时完成发放", "已及时完成发放"]}}, field="completion",
                indicator="时效指标"),
        Example("good", {"indicators": {"数量指标": ["安全生产宣传月启动仪式", "举办1场安全生产宣传月启动仪式"]}}),
    )  # fmt: skip

    def check(self, ctx: Context) -> Iterator[Finding]:
        columns = ctx.submission.layout is not Layout.WIDE  # target and completion each in their own column
        for project in ctx.submission.projects:
            for indicator in project.indicators:
                target, completion = indicator.target.text, indicator.completion.text
                if not pair_verdict(target, completion, *(_IN_COLUMNS if columns else _WIDE)):
                    continue
                yield ctx.finding(
                    self, project, "completion", indicator.completion, indicator=indicator,
                    ratio=similarity(target, completion),
                    related=(ctx.place(project, "target", indicator.target, indicator),),
                    suggestion=completion_suggestion(indicator.category, indicator, ctx.submission.year),
                )  # fmt: skip


def _near_copies(target: str, completion: str, columns: bool) -> bool:
    """The completion near-copies the target."""
    if is_not_applicable(target) or not near_copied(target, completion):
        return False
    if columns and plain_figure(completion):
        return False  # "20000亩" for "≥20000亩": the threshold met exactly (NM checks the figures)
    return not _new_figures(target, completion)


_WIDE = (CP002_WIDE, lambda target, completion: _near_copies(target, completion, False))
_IN_COLUMNS = (CP002_COLUMNS, lambda target, completion: _near_copies(target, completion, True))
