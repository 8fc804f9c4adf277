// Real node dotenv: for each FILE, `dotenv.parse(buffer)` (what `config()` copies into
// process.env when nothing is set yet). Prints JSON {FILE-ID: {"env": {...}, "error": str|null}}.
'use strict';
const fs = require('fs');
const path = require('path');
const dotenv = require('dotenv');

const out = { version: require('dotenv/package.json').version, results: {} };
for (const file of process.argv.slice(2)) {
  const result = { env: {}, error: null };
  try {
    result.env = dotenv.parse(fs.readFileSync(file));
  } catch (error) {
    result.error = String(error);
  }
  out.results[path.basename(file, '.env')] = result;
}
process.stdout.write(JSON.stringify(out));
