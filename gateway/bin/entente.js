#!/usr/bin/env node
// The `entente` command. A committed shim, so npm can link it at install time, before
// `prepare` has compiled the TypeScript into dist/.
import '../dist/cli/main.js';
