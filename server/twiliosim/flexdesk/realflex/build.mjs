// Builds the real Flex UI bundle of the test desks (make flexui):
// @twilio/flex-ui 2.17.1 with its peers, for the browser, with two changes
// made at build time and nowhere else:
//
//  1. The SDK Flex imports for TaskRouter (`twilio-taskrouter`) is replaced
//     by taskrouter.js, a Worker over the simulator's agents API. Flex's own
//     FlexClientManager.initTaskRouterSDK builds it, and Flex's own
//     WorkerListener (WorkerState) listens to it: Flex itself puts the
//     reservations in its store and auto-accepts the agent's outbound task.
//  2. Flex's webpack module table is made reachable (globalThis.
//     __twilioFlexRequire, taken and removed by entry.js), because the
//     pieces of Flex's login that start those clients (FlexClientManager,
//     WorkerState) are not part of its public API. Nothing else in the
//     bundle is changed; a Flex version whose bundle does not end as
//     expected fails the build.
//
// Usage: node build.mjs <outfile>
import * as esbuild from "esbuild";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error("usage: node build.mjs <outfile>");
  process.exit(2);
}

// The last statement of Flex's webpack bundle: its runtime's require
// (named i) of the entry module.
const tail = "i(87425)})()));";

const exposeModules = {
  name: "flex-modules",
  setup(build) {
    build.onLoad({ filter: /[\\/]@twilio[\\/]flex-ui[\\/]bundle[\\/]twilio-flex\.prod\.js$/ }, async (args) => {
      const src = await readFile(args.path, "utf8");
      const at = src.lastIndexOf(tail);
      if (at < 0) throw new Error("flex-ui bundle: its webpack runtime's last statement (" + tail + ") was not found: is @twilio/flex-ui still 2.17.1?");
      const patched = src.slice(0, at) + "(globalThis.__twilioFlexRequire=i,i(87425))})()));" + src.slice(at + tail.length);
      return { contents: patched, loader: "js" };
    });
  },
};

await esbuild.build({
  entryPoints: [path.join(here, "entry.js")],
  bundle: true,
  format: "iife",
  platform: "browser",
  minify: true,
  define: { "process.env.NODE_ENV": '"production"', global: "window" },
  alias: {
    path: path.join(here, "path.js"),
    "twilio-taskrouter": path.join(here, "taskrouter.js"),
  },
  plugins: [exposeModules],
  logLevel: "warning",
  outfile: out,
});
