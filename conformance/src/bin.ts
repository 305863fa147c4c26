#!/usr/bin/env node
/** Entry of the `ocm-plugin-conformance` executable. */
import { main } from './cli.js';

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`ocm-plugin-conformance: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(2);
  },
);
