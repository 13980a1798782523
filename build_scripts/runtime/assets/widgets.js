// Calculators in the page: the one script the plugin adds to a site with calculators (a module).
//
//   runtime.js  the runtime: the worker's start and its protocol (worker.js is the worker itself)
//   form.js     the calculator form: values, the scenario in the URL, results, errors, exports
//   search.js   Material's search, held back until the runtime answers (listens for "atlas:runtime")
//
// The offline copy is not here: hosting's offline.js registers it once the runtime answers, and has
// the copy compile the runtime for the next visit (it listens for the same "atlas:runtime" event).
//
// Each imported here, though form.js imports runtime.js itself: the browser then asks for all three at
// once, rather than for runtime.js only once it has read form.js.
import "./runtime.js";
import "./search.js";
import { mountAll } from "./form.js";

// Material's document$ emits on the first load and after every instant navigation.
if (window.document$) window.document$.subscribe(mountAll);
else mountAll();
