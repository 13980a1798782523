"""Workarounds for Material for MkDocs, each behind a switch of the `atlas` plugin's `material` option:
the cached navigation, the search gate, the held-aside search exclusions (material/manager.py)."""
