"""Discord's documented payload limits, and validators answering like Discord does.

Each ``validate_*`` function returns an :class:`Errors` tree; when it is not empty the fake
answers ``400 {"code": 50035, "message": "Invalid Form Body", "errors": tree}``, the shape
discord.py turns into ``HTTPException`` text such as
``In embeds.0.title: Must be 256 or fewer in length.``

Sources: https://discord.com/developers/docs/resources/message#create-message,
.../resources/message#embed-object-embed-limits, .../components/reference,
.../interactions/application-commands and .../interactions/receiving-and-responding.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

# Messages
CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
EMBED_FIELD_NAME_MAX = 256
EMBED_FIELD_VALUE_MAX = 1024
EMBED_FOOTER_TEXT_MAX = 2048
EMBED_AUTHOR_NAME_MAX = 256
EMBED_TOTAL_MAX = 6000
EMBED_COLOR_MAX = 0xFFFFFF
FILES_MAX = 10
FILE_SIZE_MAX = 10 * 1024 * 1024  # non-boosted guilds and DMs
ALLOWED_MENTIONS_IDS_MAX = 100

# Components (v1: action rows)
ACTION_ROWS_MAX = 5
BUTTONS_PER_ROW_MAX = 5
CUSTOM_ID_MAX = 100
BUTTON_LABEL_MAX = 80
SELECT_OPTIONS_MAX = 25
SELECT_OPTION_TEXT_MAX = 100
SELECT_PLACEHOLDER_MAX = 150
# Components v2 (flag IS_COMPONENTS_V2)
COMPONENTS_V2_TOTAL_MAX = 40
COMPONENTS_V2_TEXT_MAX = 4000

# Interaction responses
AUTOCOMPLETE_CHOICES_MAX = 25
CHOICE_NAME_MAX = 100
CHOICE_STRING_VALUE_MAX = 100
MODAL_TITLE_MAX = 45
MODAL_COMPONENTS_MAX = 5
TEXT_INPUT_LABEL_MAX = 45
TEXT_INPUT_PLACEHOLDER_MAX = 100
TEXT_INPUT_VALUE_MAX = 4000

# Application commands
COMMAND_NAME_MAX = 32
COMMAND_DESCRIPTION_MAX = 100
COMMAND_OPTIONS_MAX = 25
CHAT_INPUT_COMMANDS_MAX = 100
CONTEXT_MENU_COMMANDS_MAX = 15  # per type (user, message)
COMMAND_TOTAL_CHARS_MAX = 8000
COMMAND_CREATES_PER_DAY = 200
OPTION_STRING_LENGTH_MAX = 6000

FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
FLAG_COMPONENTS_V2 = 1 << 15

BUTTON = 2
STRING_SELECT = 3
TEXT_INPUT = 4
SELECT_TYPES = frozenset({3, 5, 6, 7, 8})
ACTION_ROW = 1
TEXT_DISPLAY = 10
LABEL = 18
# Components v2 layout/content types that may appear in messages.
V2_TYPES = frozenset({1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 17})

Path = tuple[str | int, ...]


class Errors:
    """Discord's nested ``errors`` object: ``{"embeds": {"0": {"title": {"_errors": [...]}}}}``."""

    def __init__(self) -> None:
        self.tree: dict[str, Any] = {}

    def add(self, path: Path, code: str, message: str) -> None:
        node = self.tree
        for key in path:
            node = node.setdefault(str(key), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def extend(self, prefix: Path, other: Errors) -> None:
        def walk(path: Path, node: Mapping[str, Any]) -> None:
            for key, value in node.items():
                if key == "_errors":
                    for err in value:
                        self.add(path, err["code"], err["message"])
                else:
                    walk((*path, key), value)

        walk(prefix, other.tree)

    def __bool__(self) -> bool:
        return bool(self.tree)

    def body(self) -> dict[str, Any]:
        return invalid_form_body(self.tree)


def invalid_form_body(errors: dict[str, Any]) -> dict[str, Any]:
    return {"code": 50035, "message": "Invalid Form Body", "errors": errors}


def _length(errors: Errors, path: Path, value: Any, max_len: int, min_len: int = 0) -> None:
    """Discord's string length errors (``None`` counts as absent)."""
    if value is None:
        if min_len:
            errors.add(path, "BASE_TYPE_REQUIRED", "This field is required")
        return
    if not isinstance(value, str):
        errors.add(path, "BASE_TYPE_STRING", "Could not interpret value as string.")
        return
    if min_len and not min_len <= len(value) <= max_len:
        errors.add(
            path, "BASE_TYPE_BAD_LENGTH", f"Must be between {min_len} and {max_len} in length."
        )
    elif len(value) > max_len:
        errors.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {max_len} or fewer in length.")


def _count(errors: Errors, path: Path, items: Sequence[Any], max_n: int, min_n: int = 0) -> None:
    if len(items) > max_n:
        errors.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {max_n} or fewer in length.")
    elif len(items) < min_n:
        errors.add(path, "BASE_TYPE_MIN_LENGTH", f"Must be {min_n} or more in length.")


def _list(errors: Errors, path: Path, value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        errors.add(path, "BASE_TYPE_LIST", "Could not interpret value as list.")
        return []
    return value


# --- messages -------------------------------------------------------------------------------


def embed_text_length(embed: Mapping[str, Any]) -> int:
    """Characters that count towards the 6000 per message: title, description, fields,
    footer text and author name."""
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    for f in embed.get("fields") or []:
        total += len(f.get("name") or "") + len(f.get("value") or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    return total


def validate_embed(embed: Any) -> Errors:
    errors = Errors()
    if not isinstance(embed, dict):
        errors.add((), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return errors
    _length(errors, ("title",), embed.get("title"), EMBED_TITLE_MAX)
    _length(errors, ("description",), embed.get("description"), EMBED_DESCRIPTION_MAX)
    color = embed.get("color")
    if color is not None and (not isinstance(color, int) or not 0 <= color <= EMBED_COLOR_MAX):
        errors.add(
            ("color",), "NUMBER_TYPE_MAX", f"int value should be <= {EMBED_COLOR_MAX} and >= 0."
        )
    fields = _list(errors, ("fields",), embed.get("fields"))
    _count(errors, ("fields",), fields, EMBED_FIELDS_MAX)
    for i, f in enumerate(fields):
        _length(errors, ("fields", i, "name"), f.get("name"), EMBED_FIELD_NAME_MAX, 1)
        _length(errors, ("fields", i, "value"), f.get("value"), EMBED_FIELD_VALUE_MAX, 1)
    footer = embed.get("footer")
    if footer is not None:
        _length(errors, ("footer", "text"), footer.get("text"), EMBED_FOOTER_TEXT_MAX, 1)
    author = embed.get("author")
    if author is not None:
        _length(errors, ("author", "name"), author.get("name"), EMBED_AUTHOR_NAME_MAX, 1)
    for key in ("image", "thumbnail"):
        media = embed.get(key)
        if media is not None and not str(media.get("url") or "").startswith(
            ("http://", "https://", "attachment://")
        ):
            errors.add(
                (key, "url"),
                "URL_TYPE_INVALID_PROTOCOL",
                "Scheme must be one of ('http', 'https').",
            )
    return errors


def _validate_button(errors: Errors, path: Path, c: Mapping[str, Any]) -> None:
    style = c.get("style")
    if style not in (1, 2, 3, 4, 5, 6):
        errors.add(
            (*path, "style"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6}."
        )
    _length(errors, (*path, "label"), c.get("label"), BUTTON_LABEL_MAX)
    if style == 5:
        if not c.get("url"):
            errors.add((*path, "url"), "BASE_TYPE_REQUIRED", "This field is required")
        if c.get("custom_id") is not None:
            errors.add(
                (*path, "custom_id"),
                "COMPONENT_CUSTOM_ID_INVALID",
                "A custom id cannot be set on link buttons",
            )
    elif style == 6:
        if not c.get("sku_id"):
            errors.add((*path, "sku_id"), "BASE_TYPE_REQUIRED", "This field is required")
    else:
        _length(errors, (*path, "custom_id"), c.get("custom_id"), CUSTOM_ID_MAX, 1)
    if style != 6 and not c.get("label") and not c.get("emoji"):
        errors.add(
            (*path, "label"), "BUTTON_COMPONENT_LABEL_REQUIRED", "A label or emoji is required"
        )


def _validate_select(errors: Errors, path: Path, c: Mapping[str, Any]) -> None:
    _length(errors, (*path, "custom_id"), c.get("custom_id"), CUSTOM_ID_MAX, 1)
    _length(errors, (*path, "placeholder"), c.get("placeholder"), SELECT_PLACEHOLDER_MAX)
    min_values = c.get("min_values", 1)
    max_values = c.get("max_values", 1)
    if not 0 <= min_values <= SELECT_OPTIONS_MAX:
        errors.add((*path, "min_values"), "NUMBER_TYPE_MAX", "int value should be <= 25 and >= 0.")
    if not 1 <= max_values <= SELECT_OPTIONS_MAX:
        errors.add((*path, "max_values"), "NUMBER_TYPE_MAX", "int value should be <= 25 and >= 1.")
    if min_values > max_values:
        errors.add(
            (*path, "min_values"),
            "SELECT_COMPONENT_MIN_VALUES_TOO_LARGE",
            "min_values must be less than or equal to max_values",
        )
    if c.get("type") != STRING_SELECT:
        return
    options = _list(errors, (*path, "options"), c.get("options"))
    _count(errors, (*path, "options"), options, SELECT_OPTIONS_MAX, 1)
    if options and max_values > len(options):
        errors.add(
            (*path, "max_values"),
            "SELECT_COMPONENT_MAX_VALUES_TOO_LARGE",
            "max_values must be less than or equal to the number of options",
        )
    seen: set[str] = set()
    for i, option in enumerate(options):
        opath = (*path, "options", i)
        _length(errors, (*opath, "label"), option.get("label"), SELECT_OPTION_TEXT_MAX, 1)
        _length(errors, (*opath, "value"), option.get("value"), SELECT_OPTION_TEXT_MAX, 1)
        _length(errors, (*opath, "description"), option.get("description"), SELECT_OPTION_TEXT_MAX)
        if option.get("value") in seen:
            errors.add(
                (*opath, "value"),
                "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
                "Select options values must be unique",
            )
        seen.add(option.get("value"))


def _validate_row(errors: Errors, path: Path, row: Mapping[str, Any]) -> None:
    children = _list(errors, (*path, "components"), row.get("components"))
    _count(errors, (*path, "components"), children, BUTTONS_PER_ROW_MAX, 1)
    kinds = {c.get("type") for c in children}
    if kinds & SELECT_TYPES and len(children) > 1:
        errors.add(
            (*path, "components"),
            "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
            "The specified component exceeds the maximum width",
        )
    for i, child in enumerate(children):
        cpath = (*path, "components", i)
        kind = child.get("type")
        if kind == BUTTON:
            _validate_button(errors, cpath, child)
        elif kind in SELECT_TYPES:
            _validate_select(errors, cpath, child)
        else:
            errors.add(
                (*cpath, "type"),
                "UNION_TYPE_CHOICES",
                f'Value of field "type" must be one of {sorted({BUTTON, *SELECT_TYPES})}.',
            )


def _walk_components(components: Sequence[Any]) -> list[Mapping[str, Any]]:
    out: list[Mapping[str, Any]] = []
    for c in components:
        if not isinstance(c, dict):
            continue
        out.append(c)
        out.extend(_walk_components(c.get("components") or []))
        for key in ("accessory", "component"):
            if isinstance(c.get(key), dict):
                out.extend(_walk_components([c[key]]))
    return out


def validate_components(components: Any, *, v2: bool) -> Errors:
    errors = Errors()
    rows = _list(errors, (), components)
    if not v2:
        _count(errors, (), rows, ACTION_ROWS_MAX)
        for i, row in enumerate(rows):
            if row.get("type") != ACTION_ROW:
                errors.add(
                    (i, "type"),
                    "UNION_TYPE_CHOICES",
                    'Value of field "type" must be one of (1,).',
                )
                continue
            _validate_row(errors, (i,), row)
    else:
        everything = _walk_components(rows)
        if len(everything) > COMPONENTS_V2_TOTAL_MAX:
            errors.add(
                (),
                "BASE_TYPE_MAX_LENGTH",
                f"Must be {COMPONENTS_V2_TOTAL_MAX} or fewer in length.",
            )
        text = sum(len(c.get("content") or "") for c in everything if c.get("type") == TEXT_DISPLAY)
        if text > COMPONENTS_V2_TEXT_MAX:
            errors.add(
                (),
                "COMPONENTS_V2_TEXT_LIMIT_EXCEEDED",
                f"Total text must be {COMPONENTS_V2_TEXT_MAX} or fewer characters.",
            )
        for i, c in enumerate(rows):
            if c.get("type") not in V2_TYPES:
                errors.add((i, "type"), "UNION_TYPE_CHOICES", "Invalid component type.")
            elif c.get("type") == ACTION_ROW:
                _validate_row(errors, (i,), c)
    ids = [c["custom_id"] for c in _walk_components(rows) if c.get("custom_id") is not None]
    duplicated = sorted({x for x in ids if ids.count(x) > 1})
    if duplicated:
        errors.add(
            (),
            "COMPONENT_CUSTOM_ID_DUPLICATED",
            f"Component custom id cannot be duplicated: {duplicated}",
        )
    return errors


def validate_allowed_mentions(am: Any) -> Errors:
    errors = Errors()
    if am is None:
        return errors
    parse = am.get("parse") or []
    for i, p in enumerate(parse):
        if p not in ("roles", "users", "everyone"):
            errors.add(
                ("parse", i),
                "BASE_TYPE_CHOICES",
                "Value must be one of ('roles', 'users', 'everyone').",
            )
    for key in ("users", "roles"):
        ids = am.get(key) or []
        if ids and key in parse:
            errors.add(
                (),
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{key}"] and {key}: [ids...] are mutually exclusive.',
            )
        _count(errors, (key,), ids, ALLOWED_MENTIONS_IDS_MAX)
    return errors


def validate_message(payload: Mapping[str, Any], *, files: int = 0) -> Errors:
    """A message create/edit body (also the ``data`` of callback types 4 and 7)."""
    errors = Errors()
    _length(errors, ("content",), payload.get("content"), CONTENT_MAX)
    flags = payload.get("flags") or 0
    v2 = bool(flags & FLAG_COMPONENTS_V2)
    embeds = _list(errors, ("embeds",), payload.get("embeds"))
    _count(errors, ("embeds",), embeds, EMBEDS_MAX)
    if v2 and (payload.get("content") or embeds):
        errors.add(
            ("content" if payload.get("content") else "embeds",),
            "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
            "The 'content' and 'embeds' fields cannot be used with MessageFlags.IS_COMPONENTS_V2",
        )
    for i, embed in enumerate(embeds):
        errors.extend(("embeds", i), validate_embed(embed))
    if sum(embed_text_length(e) for e in embeds if isinstance(e, dict)) > EMBED_TOTAL_MAX:
        errors.add(
            ("embeds",),
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}",
        )
    if payload.get("components") is not None:
        errors.extend(("components",), validate_components(payload["components"], v2=v2))
    errors.extend(("allowed_mentions",), validate_allowed_mentions(payload.get("allowed_mentions")))
    if files > FILES_MAX:
        errors.add(("files",), "BASE_TYPE_MAX_LENGTH", f"Must be {FILES_MAX} or fewer in length.")
    return errors


def message_is_empty(message: Mapping[str, Any]) -> bool:
    """Discord refuses (50006) a message with nothing to show."""
    return not (
        message.get("content")
        or message.get("embeds")
        or message.get("components")
        or message.get("attachments")
        or message.get("sticker_ids")
        or message.get("poll")
    )


# --- interaction responses ------------------------------------------------------------------


def validate_autocomplete(data: Any) -> Errors:
    errors = Errors()
    if not isinstance(data, dict):
        errors.add((), "BASE_TYPE_REQUIRED", "This field is required")
        return errors
    choices = _list(errors, ("choices",), data.get("choices"))
    _count(errors, ("choices",), choices, AUTOCOMPLETE_CHOICES_MAX)
    for i, choice in enumerate(choices):
        _length(errors, ("choices", i, "name"), choice.get("name"), CHOICE_NAME_MAX, 1)
        value = choice.get("value")
        if isinstance(value, str):
            _length(errors, ("choices", i, "value"), value, CHOICE_STRING_VALUE_MAX)
        elif not isinstance(value, int | float) or isinstance(value, bool):
            errors.add(("choices", i, "value"), "BASE_TYPE_REQUIRED", "This field is required")
    return errors


def _validate_text_input(
    errors: Errors, path: Path, c: Mapping[str, Any], *, in_label: bool
) -> None:
    _length(errors, (*path, "custom_id"), c.get("custom_id"), CUSTOM_ID_MAX, 1)
    if c.get("style") not in (1, 2):
        errors.add((*path, "style"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2}.")
    if not in_label:
        _length(errors, (*path, "label"), c.get("label"), TEXT_INPUT_LABEL_MAX, 1)
    _length(errors, (*path, "placeholder"), c.get("placeholder"), TEXT_INPUT_PLACEHOLDER_MAX)
    _length(errors, (*path, "value"), c.get("value"), TEXT_INPUT_VALUE_MAX)
    for key, low in (("min_length", 0), ("max_length", 1)):
        n = c.get(key)
        if n is not None and not low <= n <= TEXT_INPUT_VALUE_MAX:
            errors.add(
                (*path, key), "NUMBER_TYPE_MAX", f"int value should be <= 4000 and >= {low}."
            )


def validate_modal(data: Any) -> Errors:
    errors = Errors()
    if not isinstance(data, dict):
        errors.add((), "BASE_TYPE_REQUIRED", "This field is required")
        return errors
    _length(errors, ("custom_id",), data.get("custom_id"), CUSTOM_ID_MAX, 1)
    _length(errors, ("title",), data.get("title"), MODAL_TITLE_MAX, 1)
    rows = _list(errors, ("components",), data.get("components"))
    _count(errors, ("components",), rows, MODAL_COMPONENTS_MAX, 1)
    for i, row in enumerate(rows):
        path: Path = ("components", i)
        kind = row.get("type")
        if kind == ACTION_ROW:
            children = row.get("components") or []
            if len(children) != 1 or children[0].get("type") != TEXT_INPUT:
                errors.add(
                    (*path, "components"),
                    "MODAL_ACTION_ROW_INVALID",
                    "An action row in a modal holds exactly one text input",
                )
                continue
            _validate_text_input(errors, (*path, "components", 0), children[0], in_label=False)
        elif kind == LABEL:
            _length(errors, (*path, "label"), row.get("label"), TEXT_INPUT_LABEL_MAX, 1)
            _length(errors, (*path, "description"), row.get("description"), SELECT_OPTION_TEXT_MAX)
            inner = row.get("component") or {}
            if inner.get("type") == TEXT_INPUT:
                _validate_text_input(errors, (*path, "component"), inner, in_label=True)
            elif inner.get("type") in SELECT_TYPES:
                _validate_select(errors, (*path, "component"), inner)
        elif kind != TEXT_DISPLAY:
            errors.add((*path, "type"), "UNION_TYPE_CHOICES", "Invalid component type for a modal.")
    return errors


# --- application commands -------------------------------------------------------------------

CHAT_INPUT, USER_COMMAND, MESSAGE_COMMAND = 1, 2, 3
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = (
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    11,
)


def is_valid_name(name: Any) -> bool:
    """Discord's ``^[-_\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$``, lowercase where
    a lowercase exists."""
    if not isinstance(name, str) or not 1 <= len(name) <= COMMAND_NAME_MAX:
        return False
    for ch in name:
        category = unicodedata.category(ch)
        in_script = any(s.upper() in unicodedata.name(ch, "") for s in ("DEVANAGARI", "THAI"))
        if not (ch in "-_" or category[0] in "LN" or (category[0] == "M" and in_script)):
            return False
        if ch.lower() != ch:
            return False
    return True


def _name(errors: Errors, path: Path, name: Any) -> None:
    if not is_valid_name(name):
        errors.add(
            path,
            "APPLICATION_COMMAND_INVALID_NAME",
            f"Command name is invalid: {name!r} (1-32 lowercase letters, digits, - or _)",
        )


def _command_chars(node: Mapping[str, Any]) -> int:
    total = len(node.get("name") or "") + len(node.get("description") or "")
    for choice in node.get("choices") or []:
        total += len(str(choice.get("name") or "")) + len(str(choice.get("value") or ""))
    for option in node.get("options") or []:
        total += _command_chars(option)
    return total


def _validate_options(errors: Errors, path: Path, options: list[Any], depth: int) -> None:
    _count(errors, path, options, COMMAND_OPTIONS_MAX)
    names = [o.get("name") for o in options]
    for dup in sorted({n for n in names if names.count(n) > 1 and n is not None}):
        errors.add(path, "APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME", f"Duplicate option {dup}")
    kinds = [o.get("type") for o in options]
    has_sub = any(k in (SUB_COMMAND, SUB_COMMAND_GROUP) for k in kinds)
    if has_sub and not all(k in (SUB_COMMAND, SUB_COMMAND_GROUP) for k in kinds):
        errors.add(
            path,
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            "Sub-command and sub-command group option types are mutually exclusive "
            "to all other types",
        )
    seen_optional = False
    for i, option in enumerate(options):
        opath = (*path, i)
        kind = option.get("type")
        _name(errors, (*opath, "name"), option.get("name"))
        _length(
            errors, (*opath, "description"), option.get("description"), COMMAND_DESCRIPTION_MAX, 1
        )
        if kind == SUB_COMMAND_GROUP:
            if depth > 0:
                errors.add(
                    (*opath, "type"),
                    "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                    "Sub-command groups can only be nested in a command",
                )
            subs = option.get("options") or []
            if any(s.get("type") != SUB_COMMAND for s in subs):
                errors.add(
                    (*opath, "options"),
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "A sub-command group may only contain sub-commands",
                )
            _validate_options(errors, (*opath, "options"), subs, depth + 1)
            continue
        if kind == SUB_COMMAND:
            if depth > 1:
                errors.add(
                    (*opath, "type"),
                    "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                    "Sub-commands nest at most two levels",
                )
            _validate_options(errors, (*opath, "options"), option.get("options") or [], depth + 1)
            continue
        if kind not in range(STRING, ATTACHMENT + 1):
            errors.add((*opath, "type"), "BASE_TYPE_CHOICES", "Invalid option type.")
        if option.get("required"):
            if seen_optional:
                errors.add(
                    (*opath, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            seen_optional = True
        choices = option.get("choices") or []
        _count(errors, (*opath, "choices"), choices, AUTOCOMPLETE_CHOICES_MAX)
        if choices and option.get("autocomplete"):
            errors.add(
                (*opath, "autocomplete"),
                "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_AND_CHOICES",
                "Autocomplete and choices are mutually exclusive",
            )
        for j, choice in enumerate(choices):
            _length(errors, (*opath, "choices", j, "name"), choice.get("name"), CHOICE_NAME_MAX, 1)
            if kind == STRING:
                _length(
                    errors,
                    (*opath, "choices", j, "value"),
                    choice.get("value"),
                    CHOICE_STRING_VALUE_MAX,
                    1,
                )
        for key in ("min_length", "max_length"):
            n = option.get(key)
            if n is not None and not 0 <= n <= OPTION_STRING_LENGTH_MAX:
                errors.add(
                    (*opath, key), "NUMBER_TYPE_MAX", "int value should be <= 6000 and >= 0."
                )


def validate_command(command: Any) -> Errors:
    errors = Errors()
    if not isinstance(command, dict):
        errors.add((), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return errors
    kind = command.get("type", CHAT_INPUT)
    _name(errors, ("name",), command.get("name"))
    if kind == CHAT_INPUT:
        _length(errors, ("description",), command.get("description"), COMMAND_DESCRIPTION_MAX, 1)
        _validate_options(errors, ("options",), command.get("options") or [], 0)
        if _command_chars(command) > COMMAND_TOTAL_CHARS_MAX:
            errors.add(
                (),
                "APPLICATION_COMMAND_TOO_LARGE",
                f"Command exceeds maximum size ({COMMAND_TOTAL_CHARS_MAX})",
            )
    elif kind in (USER_COMMAND, MESSAGE_COMMAND):
        if command.get("description"):
            errors.add(
                ("description",),
                "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
                "Context menu commands cannot have a description",
            )
        if command.get("options"):
            errors.add(("options",), "BASE_TYPE_MAX_LENGTH", "Must be 0 or fewer in length.")
    else:
        errors.add(("type",), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4}.")
    return errors


def validate_command_list(commands: Any) -> Errors:
    """A bulk overwrite body: every command, plus per-scope counts and unique names."""
    errors = Errors()
    if not isinstance(commands, list):
        errors.add((), "BASE_TYPE_LIST", "Could not interpret value as list.")
        return errors
    for i, command in enumerate(commands):
        errors.extend((i,), validate_command(command))
    keys = [(c.get("type", CHAT_INPUT), c.get("name")) for c in commands if isinstance(c, dict)]
    for kind, name in sorted({k for k in keys if keys.count(k) > 1}, key=str):
        errors.add(
            (),
            "APPLICATION_COMMANDS_DUPLICATE_NAME",
            f"Application command names must be unique: {name!r} (type {kind})",
        )
    by_type = [k for k, _ in keys]
    if by_type.count(CHAT_INPUT) > CHAT_INPUT_COMMANDS_MAX:
        errors.add(
            (), "BASE_TYPE_MAX_LENGTH", f"Must be {CHAT_INPUT_COMMANDS_MAX} or fewer in length."
        )
    for kind in (USER_COMMAND, MESSAGE_COMMAND):
        if by_type.count(kind) > CONTEXT_MENU_COMMANDS_MAX:
            errors.add(
                (),
                "APPLICATION_COMMANDS_TOO_MANY_CONTEXT_MENU",
                f"At most {CONTEXT_MENU_COMMANDS_MAX} context menu commands of type {kind}",
            )
    return errors


# --- guild scheduled events -----------------------------------------------------------------
# https://discord.com/developers/docs/resources/guild-scheduled-event (object, create, modify)

SCHEDULED_EVENT_NAME_MAX = 100
SCHEDULED_EVENT_DESCRIPTION_MAX = 1000
SCHEDULED_EVENT_LOCATION_MAX = 100
SCHEDULED_EVENTS_UNCOMPLETED_MAX = 100
"""SCHEDULED or ACTIVE events per guild; one more is refused with 30038."""

PRIVACY_GUILD_ONLY = 2
ENTITY_STAGE_INSTANCE, ENTITY_VOICE, ENTITY_EXTERNAL = 1, 2, 3
EVENT_SCHEDULED, EVENT_ACTIVE, EVENT_COMPLETED, EVENT_CANCELED = 1, 2, 3, 4
EVENT_TRANSITIONS = {
    EVENT_SCHEDULED: {EVENT_ACTIVE, EVENT_CANCELED},
    EVENT_ACTIVE: {EVENT_COMPLETED},
}


def parse_timestamp(errors: Errors, path: Path, value: Any) -> datetime.datetime | None:
    """An ISO8601 timestamp as Discord reads it (no offset means UTC); None if absent or bad."""
    if value is None:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        errors.add(path, "DATE_TIME_TYPE_PARSE", f'Could not parse "{value}". Should be ISO8601.')
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


def _choice(errors: Errors, path: Path, value: Any, allowed: set[int]) -> None:
    if value is None:
        errors.add(path, "BASE_TYPE_REQUIRED", "This field is required")
    elif isinstance(value, bool) or value not in allowed:
        errors.add(path, "BASE_TYPE_CHOICES", f"Value must be one of {allowed}.")


def validate_scheduled_event(event: Mapping[str, Any]) -> Errors:
    """The fields of an event as it would be after a create or modify (Discord's required
    fields, lengths, choices and the EXTERNAL field requirements); times are checked apart."""
    errors = Errors()
    _length(errors, ("name",), event.get("name"), SCHEDULED_EVENT_NAME_MAX, 1)
    _length(errors, ("description",), event.get("description"), SCHEDULED_EVENT_DESCRIPTION_MAX)
    _choice(errors, ("privacy_level",), event.get("privacy_level"), {PRIVACY_GUILD_ONLY})
    kind = event.get("entity_type")
    _choice(errors, ("entity_type",), kind, {ENTITY_STAGE_INSTANCE, ENTITY_VOICE, ENTITY_EXTERNAL})
    if event.get("scheduled_start_time") is None:
        errors.add(("scheduled_start_time",), "BASE_TYPE_REQUIRED", "This field is required")
    if kind == ENTITY_EXTERNAL:
        metadata = event.get("entity_metadata")
        if not isinstance(metadata, Mapping):
            errors.add(("entity_metadata",), "BASE_TYPE_REQUIRED", "This field is required")
        else:
            location = metadata.get("location")
            _length(
                errors, ("entity_metadata", "location"), location, SCHEDULED_EVENT_LOCATION_MAX, 1
            )
        if event.get("scheduled_end_time") is None:
            errors.add(("scheduled_end_time",), "BASE_TYPE_REQUIRED", "This field is required")
    elif kind in (ENTITY_STAGE_INSTANCE, ENTITY_VOICE) and event.get("channel_id") is None:
        errors.add(("channel_id",), "BASE_TYPE_REQUIRED", "This field is required")
    return errors


def validate_event_times(
    start: datetime.datetime | None,
    end: datetime.datetime | None,
    *,
    now: datetime.datetime,
    start_given: bool,
) -> Errors:
    """A start given in the request must not be past; the end must come after the start."""
    errors = Errors()
    if start_given and start is not None and start < now:
        errors.add(
            ("scheduled_start_time",),
            "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST",
            "Cannot schedule event in the past.",
        )
    if start is not None and end is not None and end <= start:
        # The code is the fake's own: Discord's text for this case is not documented.
        errors.add(
            ("scheduled_end_time",),
            "GUILD_SCHEDULED_EVENT_END_BEFORE_START",
            "Cannot end event before it starts.",
        )
    return errors
