#!/usr/bin/env node
/** Prints one plain closing line from a JUnit report: `<label>: N passed, N failed, N skipped` (label default `tests`). */
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'reports/junit.xml';
const label = process.argv[3] ?? 'tests';
const xml = readFileSync(file, 'utf8');
let total = 0;
let failed = 0;
let skipped = 0;
for (const [tag] of xml.matchAll(/<testsuite\b[^>]*>/g)) {
  const attr = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(tag)?.[1] ?? 0);
  total += attr('tests');
  failed += attr('failures') + attr('errors');
  skipped += attr('skipped');
}
console.log(`${label}: ${total - failed - skipped} passed, ${failed} failed, ${skipped} skipped`);
