"""Stable references: the short codes members follow an item by, across years.

A service has a code ("LIC"); its actions, projects and risks are numbered after it
(LIC-A03, LIC-P01, LIC-R02) and a milestone after its action (LIC-A03.1). A number is never
given twice within a service, and roll-forward keeps an item's reference.
"""

import re

# Words that make poor initials: "Revenues & Benefits" is "RB", not "R&B".
_LINKING_WORDS = {"and", "of", "the", "for", "&"}
KIND_LETTERS = {"action": "A", "project": "P", "risk": "R"}


def service_code(name: str, taken: set[str]) -> str:
    """A short, unused code for a service: its initials ("Direct Services" -> "DS"), or the
    first three letters of a one-word name ("Licensing" -> "LIC"); a number follows when the
    code is taken ("DS2")."""
    name = re.sub(r"\(.*?\)", "", name)  # "Regeneration & Youth (excl. …)" is "RY"
    words = [w for w in re.findall(r"[A-Za-z]+", name) if w.casefold() not in _LINKING_WORDS]
    if len(words) >= 2:
        base = "".join(word[0] for word in words[:4]).upper()
    else:
        base = (words[0][:3] if words else "SVC").upper()
    code, number = base, 2
    while code in taken:
        code, number = f"{base}{number}", number + 1
    return code


def part_reference(service_code: str, kind: str, number: int) -> str:
    """("LIC", "action", 3) -> "LIC-A03"."""
    return f"{service_code}-{KIND_LETTERS[kind]}{number:02d}"


def number_of(reference: str) -> int | None:
    """ "LIC-A03" -> 3; None for a reference not in that form."""
    found = re.search(r"-[A-Z](\d+)$", reference)
    return int(found.group(1)) if found else None


def kind_of(reference: str) -> str:
    """What a reference names, for messages: "LIC-A03" -> "action", "LIC-A03.1" ->
    "milestone", "LIC-P01" -> "project", "LIC-R02" -> "risk"; "item" when it is none of them."""
    found = re.fullmatch(r"[A-Z0-9]+-([A-Z])\d+(\.\d+)?", reference.strip().upper())
    if found is None:
        return "item"
    if found.group(2):
        return "milestone" if found.group(1) == KIND_LETTERS["action"] else "item"
    kinds = {letter: kind for kind, letter in KIND_LETTERS.items()}
    return kinds.get(found.group(1), "item")


def milestone_reference(action_reference: str, number: int) -> str:
    """("LIC-A03", 1) -> "LIC-A03.1"."""
    return f"{action_reference}.{number}"
