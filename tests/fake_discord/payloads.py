"""Builders for the JSON objects Discord sends (users, members, guilds, channels, messages,
interactions), with every key discord.py 2.7.1 reads unconditionally."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from .models import (
    DM,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeScheduledEvent,
    FakeUser,
)

# Interaction types
PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
# Interaction context types
CONTEXT_GUILD, CONTEXT_BOT_DM = 0, 1
# Message types
DEFAULT_MESSAGE, CHAT_INPUT_COMMAND_MESSAGE = 0, 20


def iso_now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat()


def user_payload(user: FakeUser) -> dict[str, Any]:
    return {
        "id": str(user.id),
        "username": user.username,
        "discriminator": "0",
        "global_name": user.global_name,
        "avatar": None,
        "bot": user.bot,
        "system": False,
        "public_flags": 0,
        "flags": 0,
        "banner": None,
        "accent_color": None,
        "avatar_decoration_data": None,
        "primary_guild": None,
        "collectibles": None,
    }


def client_user_payload(user: FakeUser) -> dict[str, Any]:
    """``GET /users/@me`` and READY's ``user``."""
    return {**user_payload(user), "verified": True, "mfa_enabled": False, "locale": "en-US"}


def role_payload(role: FakeRole) -> dict[str, Any]:
    return {
        "id": str(role.id),
        "name": role.name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": role.position,
        "permissions": str(role.permissions),
        "managed": role.managed,
        "mentionable": False,
        "flags": 0,
    }


def member_payload(
    member: FakeMember, *, permissions: int | None = None, with_user: bool = True
) -> dict[str, Any]:
    """A guild member; ``permissions`` is added in interactions (the member's channel perms)."""
    out: dict[str, Any] = {
        "roles": [str(r.id) for r in member.roles],
        "nick": member.nick,
        "avatar": None,
        "banner": None,
        "joined_at": member.joined_at,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "communication_disabled_until": None,
        "avatar_decoration_data": None,
    }
    if with_user:
        out["user"] = user_payload(member.user)
    if permissions is not None:
        out["permissions"] = str(permissions)
    return out


def channel_payload(channel: FakeChannel, *, permissions: int | None = None) -> dict[str, Any]:
    if channel.type == DM:
        out: dict[str, Any] = {
            "id": str(channel.id),
            "type": DM,
            "last_message_id": None,
            "flags": 0,
            "recipients": [user_payload(u) for u in channel.recipients],
        }
    else:
        out = {
            "id": str(channel.id),
            "type": channel.type,
            "guild_id": str(channel.guild_id),
            "name": channel.name,
            "position": channel.position,
            "permission_overwrites": [],
            "parent_id": str(channel.parent_id) if channel.parent_id else None,
            "topic": channel.topic,
            "nsfw": False,
            "rate_limit_per_user": 0,
            "last_message_id": str(channel.last_message_id) if channel.last_message_id else None,
            "flags": 0,
        }
    if permissions is not None:
        out["permissions"] = str(permissions)
    return out


def guild_create_payload(
    guild: FakeGuild, *, bot: FakeUser, include_all_members: bool
) -> dict[str, Any]:
    """GUILD_CREATE. Without the GUILD_MEMBERS intent Discord sends only the bot's member."""
    members = [m for m in guild.members.values() if include_all_members or m.user.id == bot.id]
    return {
        "id": str(guild.id),
        "name": guild.name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(guild.owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "premium_progress_bar_enabled": False,
        "preferred_locale": guild.locale,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "vanity_url_code": None,
        "features": [],
        "max_members": 500000,
        "max_video_channel_users": 25,
        "application_id": None,
        "joined_at": iso_now(),
        "large": False,
        "lazy": True,
        "unavailable": False,
        "member_count": len(guild.members),
        "members": [member_payload(m) for m in members],
        "roles": [role_payload(r) for r in guild.roles.values()],
        "channels": [channel_payload(c) for c in guild.channels.values() if not c.deleted],
        "threads": [],
        "presences": [],
        "voice_states": [],
        "emojis": [],
        "stickers": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "incidents_data": None,
    }


def message_payload(
    *,
    message_id: int,
    channel: FakeChannel,
    author: FakeUser,
    body: dict[str, Any],
    attachments: Iterable[dict[str, Any]] = (),
    message_type: int = DEFAULT_MESSAGE,
    application_id: int | None = None,
    interaction: dict[str, Any] | None = None,
    flags: int = 0,
) -> dict[str, Any]:
    """A message as Discord returns it, from a create body (content/embeds/components...)."""
    out: dict[str, Any] = {
        "id": str(message_id),
        "type": message_type,
        "channel_id": str(channel.id),
        "author": user_payload(author),
        "content": body.get("content") or "",
        "timestamp": iso_now(),
        "edited_timestamp": None,
        "tts": bool(body.get("tts", False)),
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "mention_channels": [],
        "attachments": list(attachments),
        "embeds": [_embed_as_returned(e) for e in body.get("embeds") or []],
        "components": number_components(body.get("components") or []),
        "reactions": [],
        "pinned": False,
        "flags": flags,
    }
    if channel.guild_id is not None:
        out["guild_id"] = str(channel.guild_id)
    if body.get("message_reference"):
        out["message_reference"] = body["message_reference"]
    if body.get("nonce") is not None:
        out["nonce"] = body["nonce"]
    if application_id is not None:
        out["application_id"] = str(application_id)
        out["webhook_id"] = str(application_id)
    if interaction is not None:
        out["interaction_metadata"] = interaction
        if "name" in interaction:
            # The deprecated ``interaction`` object Discord still sends on command replies.
            out["interaction"] = {
                "id": interaction["id"],
                "type": interaction["type"],
                "name": interaction["name"],
                "user": interaction["user"],
            }
    return out


def _embed_as_returned(embed: dict[str, Any]) -> dict[str, Any]:
    out = dict(embed)
    out.setdefault("type", "rich")
    if out.get("fields"):
        out["fields"] = [{"inline": False, **f} for f in out["fields"]]
    return out


def number_components(components: list[Any]) -> list[Any]:
    """Discord gives every component in a message a numeric ``id`` (1, 2, ...) if unset."""
    counter = [0]

    def walk(items: list[Any]) -> list[Any]:
        out = []
        for c in items:
            if not isinstance(c, dict):
                out.append(c)
                continue
            c = dict(c)
            counter[0] += 1
            c.setdefault("id", counter[0])
            if isinstance(c.get("components"), list):
                c["components"] = walk(c["components"])
            for key in ("accessory", "component"):
                if isinstance(c.get(key), dict):
                    c[key] = walk([c[key]])[0]
            out.append(c)
        return out

    return walk(components)


def interaction_payload(
    *,
    interaction_id: int,
    interaction_type: int,
    token: str,
    application_id: int,
    data: dict[str, Any] | None,
    user: FakeUser,
    member: FakeMember | None,
    guild: FakeGuild | None,
    channel: FakeChannel,
    permissions: int,
    app_permissions: int,
    locale: str = "en-US",
    message: dict[str, Any] | None = None,
    attachment_size_limit: int,
) -> dict[str, Any]:
    """INTERACTION_CREATE's ``d``. In a guild the user comes as ``member``, in a DM as ``user``."""
    out: dict[str, Any] = {
        "id": str(interaction_id),
        "application_id": str(application_id),
        "type": interaction_type,
        "token": token,
        "version": 1,
        "locale": locale,
        "app_permissions": str(app_permissions),
        "entitlements": [],
        "entitlement_sku_ids": [],
        "attachment_size_limit": attachment_size_limit,
        "channel": channel_payload(channel, permissions=permissions),
        "channel_id": str(channel.id),
    }
    if data is not None:
        out["data"] = data
    if message is not None:
        out["message"] = message
    if guild is not None:
        assert member is not None
        out["guild_id"] = str(guild.id)
        out["guild"] = {"id": str(guild.id), "locale": guild.locale, "features": []}
        out["guild_locale"] = guild.locale
        out["member"] = member_payload(member, permissions=permissions)
        out["context"] = CONTEXT_GUILD
        out["authorizing_integration_owners"] = {"0": str(guild.id)}
    else:
        out["user"] = user_payload(user)
        out["context"] = CONTEXT_BOT_DM
        out["authorizing_integration_owners"] = {"0": "0"}
    return out


def interaction_metadata(
    *,
    interaction_id: int,
    interaction_type: int,
    user: FakeUser,
    guild_id: int | None,
    name: str | None = None,
    message_id: int | None = None,
) -> dict[str, Any]:
    """``message.interaction_metadata`` of a message an interaction produced."""
    out: dict[str, Any] = {
        "id": str(interaction_id),
        "type": interaction_type,
        "user": user_payload(user),
        "authorizing_integration_owners": {"0": str(guild_id) if guild_id else "0"},
    }
    if name is not None:
        out["name"] = name
        out["command_type"] = 1
    if message_id is not None:
        out["interacted_message_id"] = str(message_id)
    return out


def _iso(value: datetime.datetime | None) -> str | None:
    return value.astimezone(datetime.UTC).isoformat() if value is not None else None


def scheduled_event_payload(
    event: FakeScheduledEvent, *, creator: FakeUser | None, with_user_count: bool = False
) -> dict[str, Any]:
    """A guild scheduled event object (REST answers and GUILD_SCHEDULED_EVENT_* dispatches)."""
    out: dict[str, Any] = {
        "id": str(event.id),
        "guild_id": str(event.guild_id),
        "channel_id": str(event.channel_id) if event.channel_id else None,
        "creator_id": str(event.creator_id),
        "name": event.name,
        "description": event.description,
        "scheduled_start_time": _iso(event.scheduled_start_time),
        "scheduled_end_time": _iso(event.scheduled_end_time),
        "privacy_level": event.privacy_level,
        "status": event.status,
        "entity_type": event.entity_type,
        "entity_id": None,
        "entity_metadata": {"location": event.location} if event.location is not None else None,
        "image": event.image,
        "recurrence_rule": None,
        "sku_ids": [],
    }
    if creator is not None:
        out["creator"] = user_payload(creator)
    if with_user_count:
        out["user_count"] = event.user_count
    return out
