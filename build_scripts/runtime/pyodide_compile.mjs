// Compile .py files to .pyc for Pyodide's own Python, inside Pyodide running under Node.
//
// The host Python (3.12 or 3.13) writes bytecode Pyodide's 3.14 cannot load, so the compile has to
// happen in Pyodide itself. Usage: node pyodide_compile.mjs PYODIDE_DIR IN.zip OUT.zip [IN.zip OUT.zip ...]
// Each input zip's .py files become sourceless .pyc files in the output zip; other files are kept.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [pyodideDir, ...pairs] = process.argv.slice(2);
if (!pyodideDir || pairs.length === 0 || pairs.length % 2 !== 0) {
  console.error("usage: node pyodide_compile.mjs PYODIDE_DIR IN.zip OUT.zip [IN.zip OUT.zip ...]");
  process.exit(2);
}
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + path.sep });

pyodide.runPython(`
import importlib._bootstrap_external as bootstrap
import zipfile

EPOCH = (2020, 1, 1, 0, 0, 0)  # fixed, so the same input gives a byte-identical output

def compile_zip(source_zip, target_zip):
    compiled = kept = 0
    with zipfile.ZipFile(source_zip) as source, zipfile.ZipFile(target_zip, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.is_dir():
                continue
            data = source.read(info)
            name = info.filename
            if name.endswith(".py"):
                try:
                    code = compile(data, name, "exec", dont_inherit=True)
                except SyntaxError:
                    pass  # test data written in old syntax: keep the source as it is
                else:
                    # mtime 0 and no source beside it: zipimport and the path finder load it as is.
                    data = bytes(bootstrap._code_to_timestamp_pyc(code, 0, 0))
                    name += "c"
                    compiled += 1
            kept += 1
            target.writestr(zipfile.ZipInfo(name, date_time=EPOCH), data, zipfile.ZIP_DEFLATED)
    return compiled, kept
`);
const compileZip = pyodide.globals.get("compile_zip");
for (let i = 0; i < pairs.length; i += 2) {
  pyodide.FS.writeFile("/tmp/in.zip", readFileSync(pairs[i]));
  const [compiled, total] = compileZip("/tmp/in.zip", "/tmp/out.zip").toJs();
  writeFileSync(pairs[i + 1], pyodide.FS.readFile("/tmp/out.zip"));
  console.log(`${path.basename(pairs[i])}: ${compiled} of ${total} files compiled for Python ${pyodide.version}`);
}
