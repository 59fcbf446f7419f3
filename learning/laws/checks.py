"""`content check --strict`: every `laws:` and `law:` citation must resolve to a register entry.

A citation that names a law (a numbered instrument, a circular, or a register alias) missing from
the register is a problem. A line that names no law at all ("Nomor layanan resmi per November
2026 (bukan ketentuan pasal)") is a warning: it is a note, not a legal citation.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .citations import parse_citation, split_citations
from .register import Register, read_register, register_folder


@dataclass
class CitationCheck:
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def curriculum_citations(curriculum) -> list[tuple[str, str]]:
    """(where, citation text) for every module `laws:` entry and every question `law:`."""
    found = []
    for course in curriculum.courses:
        for module in course.modules:
            for law in module.laws:
                found.append((f"{module.path}: laws", law))
    for quiz in curriculum.quizzes:
        for question in quiz.document.questions:
            if question.law:
                found.append((f"{quiz.path}:{question.line}: question '{question.slug}' law",
                              question.law))
    return found


def curriculum_root(curriculum) -> Path | None:
    for course in curriculum.courses:
        return Path(course.path).parents[2]
    for quiz in curriculum.quizzes:
        return Path(quiz.path).parents[2]
    return None


def check_citations(curriculum, register: Register | None = None) -> CitationCheck:
    if register is None:
        register = read_register(register_folder(curriculum_root(curriculum)))
    aliases = register.aliases()
    result = CitationCheck()
    for where, text in curriculum_citations(curriculum):
        for part in split_citations(text):
            citation = parse_citation(part, aliases)
            if not citation.keys:
                result.warnings.append(f"{where} '{part}' names no law (not a legal citation)")
                continue
            missing = [key for key in citation.keys if key not in register.laws]
            if missing:
                result.problems.append(f"{where} '{part}' resolves to no register entry "
                                       f"({', '.join(missing)}); add it to laws/")
    return result


def cited_keys(curriculum, aliases: dict[str, str]) -> set[str]:
    return {key for _, text in curriculum_citations(curriculum) for part in split_citations(text)
            for key in parse_citation(part, aliases).keys}
