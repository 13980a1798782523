"""Obsidian semantics as Python-Markdown extensions, and the vault index they resolve against."""
