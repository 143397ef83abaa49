"""Bare customer lists: one supplier's item said to have gone to three or more recipients, with nothing else.

"The TB2 has been sold to Ukraine, Poland, Azerbaijan and Morocco" tells who operates a type, not a transfer an
analyst can date or count; the guidelines leave such lists out ("a supplier or type said to be exported to three
or more recipients with no quantity or date for any of them"), and keep a member that is given its own quantity or
date ("Indonesia (13 radars), Morocco, the Netherlands and Armenia" keeps Indonesia). The rules read each member
as a transfer of its own; this step, after the decision, drops the bare members of such a list.
"""
from __future__ import annotations

from armsledger.extract.repeats import stated_date
from armsledger.models import Claim

# how many recipients make a list of customers rather than a report of transfers
MIN_RECIPIENTS = 3


def _bare(c: Claim) -> bool:
    """No count and no date of the claim's own (a date read off the publication day is the report's)."""
    return c.quantity is None and not c.uncertain and stated_date(c) is None


def _list_key(c: Claim) -> tuple | None:
    """One list: the sentence, the item, the supplier and the stage (None for a claim no list can hold)."""
    ev = c.evidence.get("sentence")
    if c.kind != "transfer" or ev is None:
        return None
    return ev.start, c.family or (c.designation or "").lower(), c.supplier, c.stage


def drop_customer_lists(claims: list[Claim]) -> list[Claim]:
    """The claims less the bare members of a customer list: transfers of one item, from one supplier at one
    stage, told in one sentence to three or more recipients."""
    groups: dict[tuple, set[str]] = {}
    for c in claims:
        key = _list_key(c)
        if key is not None and c.recipient:
            groups.setdefault(key, set()).add(c.recipient)
    out = []
    for c in claims:
        key = _list_key(c)
        if key is not None and _bare(c) and len(groups.get(key, ())) >= MIN_RECIPIENTS:
            continue
        out.append(c)
    return out
