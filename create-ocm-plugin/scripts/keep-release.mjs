// Keeps the current templates in template-history/<version>/ (run after a release, before the templates change):
// npm run keep-release -w create-ocm-plugin
import { currentRelease, keepRelease } from '../dist/release.js';
import { templatesDir } from '../dist/templates.js';

process.stdout.write(`kept in ${keepRelease(currentRelease(templatesDir()))}\n`);
