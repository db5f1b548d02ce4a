"""The gate: policy, thresholds, severity, baseline, and the verdict.

- :mod:`.policy`: the policy file (TOML or YAML) -> :class:`Policy`.
- :mod:`.verdict`: per-check results against thresholds (:func:`judge`) and the
  verdict (:class:`Verdict`).
- :mod:`.baseline`: this run's rates against earlier reports (:func:`compare`).
- :mod:`.results`: a run's tallies -> judged results (:func:`results_for`), findings'
  severity (:func:`apply_severity`), the decision (:func:`decide`, with the baseline).
- :mod:`.show`: the effective policy as TOML with each value's file (``policy show``).
"""

from typing import TYPE_CHECKING

from corpus_qa._exports import lazy_exports

if TYPE_CHECKING:
    from corpus_qa.gate.baseline import compare, load_history
    from corpus_qa.gate.policy import CheckPolicy, Policy, load_policy
    from corpus_qa.gate.results import apply_severity, decide, results_for
    from corpus_qa.gate.verdict import CheckResult, Verdict, judge

__all__ = [
    "CheckPolicy",
    "CheckResult",
    "Policy",
    "Verdict",
    "apply_severity",
    "compare",
    "decide",
    "judge",
    "load_history",
    "load_policy",
    "results_for",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "CheckPolicy": "corpus_qa.gate.policy",
        "CheckResult": "corpus_qa.gate.verdict",
        "Policy": "corpus_qa.gate.policy",
        "Verdict": "corpus_qa.gate.verdict",
        "apply_severity": "corpus_qa.gate.results",
        "decide": "corpus_qa.gate.results",
        "results_for": "corpus_qa.gate.results",
        "compare": "corpus_qa.gate.baseline",
        "judge": "corpus_qa.gate.verdict",
        "load_history": "corpus_qa.gate.baseline",
        "load_policy": "corpus_qa.gate.policy",
    },
)
