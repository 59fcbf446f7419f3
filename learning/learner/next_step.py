"""What an officer should do next in a course: start, resume a module, or it is finished.

Pure over already-loaded data (module list, per-module states, the last module opened), so the
dashboard and the course page agree on the one primary action."""
from __future__ import annotations

from dataclasses import dataclass

from learning.models import Module
from .progress import DONE, NOT_STARTED

START, RESUME, FINISHED = "start", "resume", "finished"


@dataclass(frozen=True)
class NextStep:
    kind: str  # start, resume or finished
    module: Module | None  # the module to open (None when finished or the course is empty)
    position: int  # 1-based place of that module in the course (0 when none)
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def next_step(modules: list[Module], states: dict[int, str],
              last_opened: Module | None = None) -> NextStep:
    """The module to open next: the last one opened if it is not finished yet, otherwise the first
    module (in course order) that is not done."""
    done = sum(1 for m in modules if states.get(m.id) == DONE)
    total = len(modules)
    if total and done >= total:
        return NextStep(FINISHED, None, 0, done, total)
    if not modules:
        return NextStep(START, None, 0, 0, 0)
    started = any(states.get(m.id, NOT_STARTED) != NOT_STARTED for m in modules)
    target = None
    if last_opened is not None and last_opened in modules and states.get(last_opened.id) != DONE:
        target = last_opened
    if target is None:
        target = next(m for m in modules if states.get(m.id) != DONE)
    return NextStep(RESUME if started else START, target, modules.index(target) + 1, done, total)
