"""The live calculators' runtime: the ```calculator fence, the engine wheel and lock file, the start-up snapshot
and the Pyodide runtime the site serves (made and shipped by runtime/manager.py)."""
