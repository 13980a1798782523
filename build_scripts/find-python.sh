#!/bin/sh
# Print the path of a Python 3.12 or newer for the project's virtual environment, or explain and fail.
# pyodide-build and pyodide-lock need 3.12+; on 3.11 pip quietly installs an old pyodide-build that breaks.
# pyenv shims refuse versions pyenv was not told to use, so pyenv's own install folders are tried too.
ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
for candidate in "${PYTHON:-}" python3.13 python3.12 python3.14 python3; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if ok "$path"; then echo "$path"; exit 0; fi
done
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for path in $(ls -d "$root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -V); do
  if ok "$path"; then echo "$path"; exit 0; fi
done
echo "No Python 3.12 or newer found. Install one (e.g. 'pyenv install 3.12') or name it: make PYTHON=/path/to/python3.12 ..." >&2
exit 1
