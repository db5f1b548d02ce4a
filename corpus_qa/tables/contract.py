"""Which findings of the record contract a policy leaves on, decided without Pandera.

The contract's findings are named after its columns (``schema.<table>.<column>``, and
``schema.<table>.frame`` for rules over whole rows). A policy that turns them all off
(``[checks."schema.*"] enabled = false``) needs no validation, no uniqueness state and
no Pandera import at all: Pandera and its dependencies are the largest import a run
makes after pandas, paid before the first byte is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corpus_qa.model import ARTICLE_COLUMNS, IMAGE_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

    from corpus_qa.gate.policy import Policy

#: The tables of the contract and their columns (``schemas/``), in that order.
_TABLES = {"articles": ARTICLE_COLUMNS, "images": IMAGE_COLUMNS}


def contract_ids() -> tuple[str, ...]:
    """Every id a finding of the shipped contract can have."""
    return tuple(
        f"schema.{table}.{column}"
        for table, columns in _TABLES.items()
        for column in (*columns, "frame")
    )


def contract_enabled(policy: Policy, *, user_schema: bool = False) -> bool:
    """Whether chunks are validated: a user's contract (``--schema``) always is, ours
    while the policy leaves any of its ids on."""
    return user_schema or any(policy.for_check(i).enabled for i in contract_ids())


def enabled_findings(findings: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """``findings`` without those of contract ids the policy turns off."""
    if findings.empty:
        return findings
    checks = findings["check"].astype("str")
    off = [c for c in checks.unique() if not policy.for_check(c).enabled]
    if not off:
        return findings
    return findings[~checks.isin(off).to_numpy()].reset_index(drop=True)
