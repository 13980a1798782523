"""Build-time code: the MkDocs plugin, the Obsidian Markdown extensions and the Pyodide bundler."""
