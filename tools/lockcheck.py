"""Do the lock files agree with the requirements a person edits?

`requirements.txt`, `requirements-dev.txt` and `requirements-bench.txt` name the packages the
project chose, each pinned with `==`. `bin/lock` resolves each into `<name>.lock` with every
transitive package pinned and hashed (pip-tools), and every install reads a lock with
`--require-hashes`. This check needs no network: each chosen pin (following `-r` includes) must be
in its lock at the same version, and every lock entry must be pinned with `==` and carry at least
one sha256 hash. `python -m tools.lockcheck` prints each disagreement and exits 1; the test suite
runs the same check, so a pin changed without relocking fails CI.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ("requirements", "requirements-dev", "requirements-bench")
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*==\s*([^\s;#\\]+)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def chosen_pins(path: Path, seen: set[Path] | None = None) -> tuple[dict[str, str], list[str]]:
    """{package: version} of `path` and the files it includes; problems for unpinned lines."""
    seen = set() if seen is None else seen
    pins: dict[str, str] = {}
    problems: list[str] = []
    if path in seen:
        return pins, problems
    seen.add(path)
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("-r ", "--requirement ")):
            included, more = chosen_pins(path.parent / line.split(None, 1)[1], seen)
            pins.update(included)
            problems.extend(more)
            continue
        match = _PIN.match(line)
        if match is None:
            problems.append(f"{path.name}:{number}: '{line}' is not pinned with ==")
            continue
        pins[canonical(match.group(1))] = match.group(3)
    return pins, problems


def locked(path: Path) -> tuple[dict[str, str], list[str]]:
    """{package: version} of a pip-compile lock, and entries without a pin or a hash."""
    entries: dict[str, str] = {}
    problems: list[str] = []
    text = path.read_text(encoding="utf-8")
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        first = block.split("\n", 1)[0].strip()
        if not first or first.startswith("#"):
            continue
        match = _PIN.match(first)
        if match is None:
            problems.append(f"{path.name}: '{first}' is not pinned with ==")
            continue
        entries[canonical(match.group(1))] = match.group(3)
        if "--hash=sha256:" not in block:
            problems.append(f"{path.name}: {match.group(1)} has no hash")
    return entries, problems


def check(root: Path = ROOT) -> list[str]:
    problems: list[str] = []
    for name in PAIRS:
        source, lock = root / f"{name}.txt", root / f"{name}.lock"
        if not lock.exists():
            problems.append(f"{lock.name} is missing: run bin/lock")
            continue
        pins, unpinned = chosen_pins(source)
        entries, broken = locked(lock)
        problems += unpinned + broken
        for package, version in sorted(pins.items()):
            if package not in entries:
                problems.append(f"{lock.name}: {package}=={version} from {source.name} is not "
                                f"locked: run bin/lock")
            elif entries[package] != version:
                problems.append(f"{lock.name}: {package} is locked at {entries[package]} but "
                                f"{source.name} asks for {version}: run bin/lock")
    return problems


def main() -> int:
    problems = check()
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print("lock files agree with requirements*.txt")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
