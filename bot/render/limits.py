"""Every Discord limit the bot relies on, written once.

Nothing else in the bot defines a Discord limit: import it from here. Lengths are in characters
(Discord counts Unicode code points, as `len` does), sizes in bytes, times in seconds.
"""

from __future__ import annotations

# ------------------------------------------------------------------------------ embeds
# https://discord.com/developers/docs/resources/message#embed-object-embed-limits

TITLE_LIMIT = 256  # embed title
DESCRIPTION_LIMIT = 4096  # embed description
FIELD_COUNT_LIMIT = 25  # fields per embed
FIELD_NAME_LIMIT = 256  # field name
FIELD_VALUE_LIMIT = 1024  # field value
FOOTER_LIMIT = 2048  # footer text
AUTHOR_LIMIT = 256  # author name
EMBED_TOTAL_LIMIT = 6000  # title + description + field names and values + footer + author
EMBEDS_PER_MESSAGE = 10  # resources/message#create-message: "embeds: up to 10"

# ------------------------------------------------------------------------------ messages
# https://discord.com/developers/docs/resources/message#create-message-jsonform-params

CONTENT_LIMIT = 2000  # message content
ATTACHMENT_BYTES_LIMIT = 10 * 1024 * 1024  # reference#uploading-files: 10 MiB default upload

# ---------------------------------------------------------------------- application commands
# https://discord.com/developers/docs/interactions/application-commands

CHOICES_LIMIT = 25  # #application-command-object-application-command-option-structure: choices
CHOICE_NAME_LIMIT = 100  # #application-command-option-choice-structure: name
CHOICE_VALUE_LIMIT = 100  # #application-command-option-choice-structure: string value

# ------------------------------------------------------------------------------ components
# https://discord.com/developers/docs/components/reference

SELECT_OPTIONS_LIMIT = 25  # #string-select: options
SELECT_OPTION_TEXT_LIMIT = 100  # #string-select-select-option-structure: label, value, description
SELECT_PLACEHOLDER_LIMIT = 150  # #string-select: placeholder
BUTTON_LABEL_LIMIT = 80  # #button: label
CUSTOM_ID_LIMIT = 100  # #anatomy-of-a-component: custom_id
COMPONENTS_PER_ROW = 5  # #action-row: up to 5 buttons (a select fills a row alone)
ROWS_PER_MESSAGE = 5  # #action-row: up to 5 action rows per message

# ------------------------------------------------------------------------------ interactions
# https://discord.com/developers/docs/interactions/receiving-and-responding#responding-to-an-interaction

INTERACTION_RESPONSE_SECONDS = 3.0  # first response (or defer) due within 3 s of the interaction

# ------------------------------------------------------------------------------ scheduled events
# https://discord.com/developers/docs/resources/guild-scheduled-event#guild-scheduled-event-object

SCHEDULED_EVENT_NAME_LIMIT = 100  # name: 1-100 characters
SCHEDULED_EVENT_DESCRIPTION_LIMIT = 1000  # description: 1-1000 characters
SCHEDULED_EVENT_LOCATION_LIMIT = 100  # entity_metadata.location: 1-100 characters
SCHEDULED_EVENTS_MAX = 100  # uncompleted scheduled events per server (error 30038)
