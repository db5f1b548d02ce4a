"""The gate: policy, thresholds, severity, baseline, and the verdict.

- :mod:`.policy`: the policy file (TOML or YAML) -> :class:`Policy`.
- :mod:`.verdict`: per-check results against thresholds (:func:`judge`) and the
  verdict (:class:`Verdict`).
- :mod:`.baseline`: this run's rates against earlier reports (:func:`compare`).
"""

from typing import TYPE_CHECKING

from corpus_qa._exports import lazy_exports

if TYPE_CHECKING:
    from corpus_qa.gate.baseline import compare, load_history
    from corpus_qa.gate.policy import CheckPolicy, Policy, load_policy
    from corpus_qa.gate.verdict import CheckResult, Verdict, judge

__all__ = [
    "CheckPolicy",
    "CheckResult",
    "Policy",
    "Verdict",
    "compare",
    "judge",
    "load_history",
    "load_policy",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "CheckPolicy": "corpus_qa.gate.policy",
        "CheckResult": "corpus_qa.gate.verdict",
        "Policy": "corpus_qa.gate.policy",
        "Verdict": "corpus_qa.gate.verdict",
        "compare": "corpus_qa.gate.baseline",
        "judge": "corpus_qa.gate.verdict",
        "load_history": "corpus_qa.gate.baseline",
        "load_policy": "corpus_qa.gate.policy",
    },
)
