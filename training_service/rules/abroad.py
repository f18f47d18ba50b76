"""Places abroad (S2-3 每一年选派优秀社区工作者"出境学"): a yearly selection list
of at most the places in force."""
from __future__ import annotations

from shared.errors import Refusal


def selectable(worker_id: int, active: bool) -> Refusal | None:
    """Only a worker still in service is selected."""
    if active:
        return None
    return Refusal("worker_not_active", f"Worker {worker_id} has left.", "该社区工作者已离职。", field="worker_id")


def abroad_refusal(worker_id: int, year: int, already_selected: bool, places: int, taken: int,
                   scope: str) -> Refusal | None:
    """None when the worker may join ``year``'s list in ``scope`` (the
    jurisdiction whose places are in force): not on it already, and fewer than
    ``places`` taken (S2-3)."""
    if already_selected:
        return Refusal("already_selected", f"Worker {worker_id} is already on the {year} list.",
                       f"该社区工作者已在 {year} 年度名单中。", field="worker_id", clause="S2-3", status=409)
    if taken >= places:
        return Refusal("abroad_places_full",
                       f"All {places} places abroad for {year} in {scope} are taken.",
                       f"{scope} {year} 年度出境学习名额（{places} 个）已满。",
                       field="year", clause="S2-3", status=409, extra={"places_per_year": places, "taken": taken})
    return None
