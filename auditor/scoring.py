"""Quality scores from findings — the only place findings become numbers.

Each project starts at 100 and loses points per active (not accepted) finding by severity (error 8, warning 3, info 1),
never below 0; a submission's score is the mean of its projects' scores. Deliberately simple and
monotone: more or worse findings never raise a score. Refined weighting per family is the scoring
issue's business; the JSON contract only promises a 0–100 figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from auditor.model import Finding, Severity, Submission

PENALTY = {Severity.ERROR: 8.0, Severity.WARNING: 3.0, Severity.INFO: 1.0}


def project_scores(submission: Submission, findings: Iterable[Finding]) -> dict[int, float]:
    lost: dict[int, float] = defaultdict(float)
    for finding in findings:
        if finding.active and finding.project_index is not None:
            lost[finding.project_index] += PENALTY[finding.severity]
    return {project.index: max(0.0, 100.0 - lost[project.index]) for project in submission.projects}


def submission_score(submission: Submission, findings: Iterable[Finding]) -> float:
    scores = project_scores(submission, findings)
    if not scores:
        return 0.0
    return round(sum(scores.values()) / len(scores), 1)
