"""A helper for building the parser's regular expressions."""

from __future__ import annotations


def by_first_letter(alternation: str) -> str:
    """ "march|may|june" -> "m(?:arch|ay)|j(?:une)": the same alternatives, tried in the same order,
    but re tests one branch per first letter instead of one per alternative.

    Each alternative must start with a plain letter."""
    groups: dict[str, list[str]] = {}
    for alternative in alternation.split("|"):
        groups.setdefault(alternative[0], []).append(alternative[1:])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())
