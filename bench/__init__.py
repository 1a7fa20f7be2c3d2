"""Benchmarks for igf-forum-bot (issue #6): see bench/README.md and `python bench/run.py`."""
