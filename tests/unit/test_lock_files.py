"""The lock files agree with the pins a person edits, and the check catches a pin changed without
relocking (tools/lockcheck.py; bin/lock rewrites the locks)."""
import shutil

from tools.lockcheck import PAIRS, ROOT, check, chosen_pins, locked


def copy_requirements(tmp_path):
    for name in PAIRS:
        for suffix in (".txt", ".lock"):
            shutil.copy(ROOT / f"{name}{suffix}", tmp_path / f"{name}{suffix}")
    return tmp_path


def test_the_shipped_locks_agree_with_the_pins():
    assert check() == []


def test_every_locked_package_is_pinned_and_hashed_and_includes_the_transitive_ones():
    entries, problems = locked(ROOT / "requirements.lock")
    assert problems == []
    pins, _ = chosen_pins(ROOT / "requirements.txt")
    assert set(pins) < set(entries)  # Werkzeug, Jinja2, click ... are locked too
    for transitive in ("werkzeug", "jinja2", "itsdangerous", "click", "fonttools"):
        assert transitive in entries


def test_a_pin_changed_without_relocking_fails(tmp_path):
    root = copy_requirements(tmp_path)
    source = root / "requirements.txt"
    source.write_text(source.read_text().replace("Flask==3.1.3", "Flask==3.1.2"))
    problems = check(root)
    assert any("flask is locked at 3.1.3 but requirements.txt asks for 3.1.2" in p for p in problems)
    # the dev and bench files include requirements.txt: their locks disagree too
    assert sum("flask is locked" in p for p in problems) == 3


def test_a_new_package_unpinned_or_missing_from_the_lock_fails(tmp_path):
    root = copy_requirements(tmp_path)
    dev = root / "requirements-dev.txt"
    dev.write_text(dev.read_text() + "tomli-w==1.2.0\nrequests\n")
    problems = check(root)
    assert "requirements-dev.lock: tomli-w==1.2.0 from requirements-dev.txt is not locked: run bin/lock" \
        in problems
    assert any("'requests' is not pinned with ==" in p for p in problems)


def test_a_lock_entry_without_a_hash_fails(tmp_path):
    root = copy_requirements(tmp_path)
    lock = root / "requirements.lock"
    lock.write_text(lock.read_text() + "extra-package==1.0\n    # via nothing\n")
    assert "requirements.lock: extra-package has no hash" in check(root)
