// The calculator form: each prerendered .atlas-calculator form becomes live once the runtime (runtime.js)
// answers; until then, and if it never does, the results computed when the page was built stay.
//
// Each widget keeps its scenario in one query parameter named after its id (?calc-1=a%3D1%3Bb%3D2),
// so a copied link reopens the same numbers; values from the URL go through the form and the engine
// like typed ones, and are only ever written back as text.
import { ask, onRuntime, runtimeFailure, runtimeState, startRuntime, startWhenNeeded } from "./runtime.js";

const DEBOUNCE_MS = 120;

const mounted = new Set();

function setStatus(root, state, text) {
  const status = root.querySelector(".atlas-calculator__status");
  status.dataset.state = state;
  status.textContent = text;
}

// Each calculator's status line says what the runtime is doing.
function broadcast() {
  const state = runtimeState();
  for (const root of mounted) {
    if (!root.isConnected) {
      mounted.delete(root);
      continue;
    }
    if (state === "starting") setStatus(root, "starting", "Starting the calculator…");
    if (state === "live") setStatus(root, "live", "Live: results update as you type.");
    if (state === "failed")
      setStatus(
        root,
        "error",
        `The live calculator could not start (${runtimeFailure()}). The results shown were computed when this page was built.`,
      );
  }
}

onRuntime((state) => {
  broadcast();
  if (state === "live") for (const root of mounted) if (root.dataset.dirty === "true") recompute(root);
});

function inputs(root) {
  return [...root.querySelectorAll(".atlas-calculator__form [name]")];
}

// A choice the address names that is not among the options leaves the list empty; the engine is still
// given what the address said, so its message quotes it, until the reader picks an option.
function formValues(root) {
  return Object.fromEntries(inputs(root).map((input) =>
    [input.name, input.value === "" && "addressValue" in input.dataset ? input.dataset.addressValue : input.value]));
}

function defaults(root) {
  return JSON.parse(root.dataset.defaults);
}

// --- the scenario in the URL ------------------------------------------------------------------

// Values are taken whole, as typed ones are: the engine refuses one that is too long, or not a number,
// at its field. A name the calculator does not have is left out, and the reader is told.
function readScenario(root) {
  const encoded = new URLSearchParams(location.search).get(root.id);
  if (!encoded) return { scenario: {}, unknown: [] };
  const names = new Set(inputs(root).map((input) => input.name));
  const scenario = {};
  const unknown = [];
  for (const pair of encoded.split(";")) {
    const at = pair.indexOf("=");
    const name = at < 0 ? pair : pair.slice(0, at);
    if (names.has(name) && at > 0) scenario[name] = pair.slice(at + 1);
    else if (pair.trim()) unknown.push(name.length > 24 ? `${name.slice(0, 24)}…` : name);
  }
  return { scenario, unknown };
}

function writeScenario(root) {
  const base = defaults(root);
  const changed = inputs(root)
    .filter((input) => String(input.value) !== String(base[input.name]) &&
      (input.tagName === "SELECT" || Number(input.value) !== Number(base[input.name]) || input.value.trim() === ""))
    .map((input) => `${input.name}=${input.value}`);
  const url = new URL(location.href);
  if (changed.length) url.searchParams.set(root.id, changed.join(";"));
  else url.searchParams.delete(root.id);
  if (url.href !== location.href) history.replaceState(history.state, "", url.href);
}

// --- results, errors, exports -----------------------------------------------------------------

function clearErrors(root) {
  for (const error of root.querySelectorAll(".atlas-error, .atlas-calculator__message")) {
    error.hidden = true;
    error.textContent = "";
  }
  for (const input of inputs(root)) input.removeAttribute("aria-invalid");
}

// A message for the whole calculator (a refusal no single field explains), or a notice about the address.
function note(root, className, role) {
  let element = root.querySelector(`.${className}`);
  if (!element) {
    element = document.createElement("p");
    element.className = className;
    element.setAttribute("role", role);
    element.hidden = true;
    root.querySelector(".atlas-calculator__form").after(element);
  }
  return element;
}

function applyValues(root, values) {
  for (const input of inputs(root)) {
    if (!(input.name in values)) continue;
    input.value = values[input.name];
    delete input.dataset.addressValue;
  }
  clearErrors(root);
  writeScenario(root);
  recompute(root);
}

function showResult(root, result) {
  clearErrors(root);
  if (result.ok) {
    for (const [name, text] of Object.entries(result.text)) {
      const cell = root.querySelector(`[data-output="${CSS.escape(name)}"]`);
      if (!cell) continue;
      cell.textContent = text;
      cell.dataset.value = String(result.values[name]);
    }
    const figure = root.querySelector("[data-figure]");
    // The figure is SVG or a table drawn by our engine, which escapes every text it writes.
    if (figure && result.figure) figure.innerHTML = result.figure.replaceAll("{id}", root.id);
    root.dataset.computed = "browser";
    root.dispatchEvent(new CustomEvent("atlas:computed", { bubbles: true }));
    return;
  }
  // Keep the last good results; show the engine's message at the field it rejected (the field is
  // described by its message: aria-describedby names its -error element), or else for the calculator.
  // Every other field refused as well (a hostile address sets several) is shown at once.
  for (const [field, message] of [[result.field, result.message], ...Object.entries(result.others || {})]) {
    const input = field && root.querySelector(`.atlas-calculator__form [name="${CSS.escape(field)}"]`);
    const error = input
      ? root.querySelector(`#${CSS.escape(input.id)}-error`)
      : note(root, "atlas-calculator__message", "alert");
    if (input) input.setAttribute("aria-invalid", "true");
    if (error) {
      error.textContent = message;
      error.hidden = false;
    }
  }
  root.dispatchEvent(new CustomEvent("atlas:rejected", { bubbles: true }));
}

// The reader's own decimal separator, as the browser's language writes numbers: "," for de-DE or fr-FR.
const READER_DECIMAL = (() => {
  try {
    return new Intl.NumberFormat(navigator.language).formatToParts(1.5).find((p) => p.type === "decimal").value;
  } catch {
    return ".";
  }
})();

// The engine reads a point as the decimal point, as the page writes its figures. A reader whose own
// numbers group thousands with points may mean "1.500" as fifteen hundred: such a value, unless it is
// the block's own, is refused here with both readings rather than read as one and a half.
function ambiguousForReader(root) {
  if (READER_DECIMAL === ".") return null;
  const base = defaults(root);
  for (const input of inputs(root)) {
    const text = input.value.trim();
    if (input.tagName === "SELECT" || !/^[+-]?[1-9]\d{0,2}(\.\d{3})+$/.test(text)) continue;
    if (Number(text) === Number(base[input.name])) continue;
    const label = root.querySelector(`label[for="${CSS.escape(input.id)}"]`).firstChild.textContent.trim();
    const grouped = text.replaceAll(".", "");
    return { ok: false, field: input.name,
             message: `${label}: “${text}” could be ${Number(text)} or ${grouped}; this page writes decimals ` +
                      `with a point. Write ${grouped} without the points, or ${Number(text)} for the decimal.` };
  }
  return null;
}

async function recompute(root) {
  root.dataset.dirty = "true";
  if (runtimeState() === "failed") return;
  if (runtimeState() !== "live") {
    startRuntime();
    return; // recomputed when the runtime reports ready
  }
  const requested = ++root._atlasGeneration;
  const refused = ambiguousForReader(root);
  const result = refused || await ask(root.dataset.widget, formValues(root));
  if (requested !== root._atlasGeneration) return; // a newer edit is on its way
  root.dataset.dirty = "false";
  showResult(root, result);
}

function rows(root) {
  const label = (input) => root.querySelector(`label[for="${CSS.escape(input.id)}"]`);
  const rows = inputs(root).map((input) => {
    const text = label(input);
    return {
      kind: "input",
      name: input.name,
      label: text.firstChild.textContent.trim(),
      unit: text.querySelector(".atlas-unit").textContent.replace(/^\(|\)$/g, ""),
      value: input.value,
    };
  });
  for (const cell of root.querySelectorAll("[data-output]")) {
    const term = cell.previousElementSibling;
    rows.push({
      kind: "output",
      name: cell.dataset.output,
      label: term.firstChild.textContent.trim(),
      unit: term.querySelector(".atlas-unit").textContent.replace(/^\(|\)$/g, ""),
      value: cell.dataset.value,
      shown: cell.textContent,
    });
  }
  return rows;
}

function download(root, kind) {
  const data = rows(root);
  let text;
  if (kind === "json") {
    text = JSON.stringify({ widget: root.dataset.widget, url: location.href, rows: data }, null, 2) + "\n";
  } else {
    const cell = (value) => `"${String(value ?? "").replaceAll('"', '""')}"`;
    const header = ["kind", "name", "label", "unit", "value", "shown"];
    text = [header.join(","), ...data.map((row) => header.map((key) => cell(row[key])).join(","))].join("\r\n") + "\r\n";
  }
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type: kind === "json" ? "application/json" : "text/csv" }));
  link.download = `${root.dataset.widget}.${kind}`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

async function act(root, action, button) {
  if (action === "copy-link") {
    writeScenario(root);
    const url = new URL(location.href);
    url.hash = root.id;
    try {
      await navigator.clipboard.writeText(url.href);
      button.textContent = "Link copied";
    } catch {
      window.prompt("Copy this link:", url.href);
    }
    setTimeout(() => (button.textContent = "Copy link"), 2000);
  } else if (action === "reset") {
    applyValues(root, defaults(root));
  } else {
    download(root, action);
  }
}

// --- mounting -----------------------------------------------------------------------------------

function mount(root) {
  if (root.dataset.mounted) return;
  root.dataset.mounted = "true";
  root._atlasGeneration = 0;
  mounted.add(root);
  root.querySelector(".atlas-calculator__actions").hidden = false;
  const presets = root.querySelector(".atlas-calculator__presets");
  if (presets) presets.hidden = false;
  let timer = null;
  root.addEventListener("input", (event) => {
    delete event.target.dataset?.addressValue;
    clearTimeout(timer);
    timer = setTimeout(() => {
      writeScenario(root);
      recompute(root);
    }, DEBOUNCE_MS);
  });
  root.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (button) act(root, button.dataset.action, button);
    const preset = event.target.closest("button[data-preset]");
    if (preset) applyValues(root, { ...defaults(root), ...JSON.parse(preset.dataset.preset) });
  });
  root.addEventListener("focusin", () => startRuntime(), { once: true });
  const { scenario, unknown } = readScenario(root);
  if (unknown.length) {
    const notice = note(root, "atlas-calculator__notice", "status");
    notice.textContent = `The page address sets ${unknown.map((name) => `“${name}”`).join(", ")}, which this ` +
      `calculator does not have; left out.`;
    notice.hidden = false;
  }
  if (Object.keys(scenario).length) {
    for (const input of inputs(root)) {
      if (!(input.name in scenario)) continue;
      input.value = scenario[input.name];
      if (input.tagName === "SELECT" && input.value !== scenario[input.name])
        input.dataset.addressValue = scenario[input.name];
    }
    recompute(root);
  }
  broadcast();
}

/** Make every calculator in the page live, and start the runtime when one needs it. */
export function mountAll() {
  const roots = document.querySelectorAll(".atlas-calculator");
  roots.forEach(mount);
  startWhenNeeded(roots);
}
