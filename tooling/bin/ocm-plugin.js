#!/usr/bin/env node
// Committed entry, so npm links the command at install time, before dist/ is built.
import('../dist/cli.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('/dist/')) {
    process.stderr.write('ocm-plugin: this package is not built yet; run `npm run build` in the repository first\n');
    process.exit(1);
  }
  throw err;
});
