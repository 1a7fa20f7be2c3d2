"""igf-forum-bot: IGF session records in Discord."""

__version__ = "0.1.0"
