// Rebuilds renderer/studio/static/editor.js, the one committed file that holds CodeMirror 6
// and the studio's editor script: `npm install && npm run build:studio`.
import {build} from "esbuild";
import {fileURLToPath} from "node:url";
import {dirname, join} from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
await build({
  entryPoints: [join(here, "editor.js")],
  outfile: join(here, "..", "static", "editor.js"),
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  legalComments: "eof",
  logLevel: "info",
});
