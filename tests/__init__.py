"""The test suite. A package, so that pytest imports tests/fake_discord and its own tests once,
as tests.fake_discord, and not a second time as a top-level fake_discord."""
