"""Run a table of parity cases through the engine; the same code runs in CPython and in Pyodide."""


def run_cases(cases):
    """Give back, for each case, the engine's outputs or its error type and message."""
    from atlas_mkdocs.engine.catalogue import NO_DATA, Catalogue
    from atlas_mkdocs.engine.cli import ranges_as_dict, scenario_as_dict
    from atlas_mkdocs.engine.errors import EngineError
    from atlas_mkdocs.engine.models import calculate, calculate_ranges
    from atlas_mkdocs.engine.scenarios import run_scenario
    from atlas_mkdocs.engine.uncertainty import Range

    results, catalogue = [], NO_DATA
    for case in cases:
        try:
            if case["kind"] == "catalogue":  # data/ as the browser gets it; later cases are given it
                catalogue = Catalogue.from_export(case["data"])
                results.append({"ok": sorted(case["data"])})
            elif case["kind"] == "model":
                results.append({"ok": calculate(case["model"], case["inputs"], catalogue)})
            elif case["kind"] == "ranges":
                inputs = {k: Range(*v) if isinstance(v, list) else v for k, v in case["inputs"].items()}
                results.append({"ok": ranges_as_dict(calculate_ranges(case["model"], inputs, catalogue=catalogue))})
            else:
                results.append({"ok": scenario_as_dict(run_scenario(case["scenario"], catalogue))})
        except EngineError as error:
            results.append({"error": type(error).__name__, "message": str(error)})
    return results
