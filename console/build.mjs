// Bundles the console (console/src) into console/dist: one script, one style sheet and the page, served by the app
// (Atlas.Functions/OpsConsole). Run by Atlas.Functions' build when a source changed: npm run build:console.
import { build } from "esbuild";
import { copyFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, "dist");
await mkdir(dist, { recursive: true });
await build({
  entryPoints: { app: join(root, "src/main.js"), styles: join(root, "src/styles.css") },
  outdir: dist,
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2022"],
  legalComments: "none",
  logLevel: "warning",
});
await copyFile(join(root, "src/index.html"), join(dist, "index.html"));
