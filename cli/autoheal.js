#!/usr/bin/env node
'use strict';
// `npx autoheal` in a checkout of this project. tsx (a dev dependency) loads the TypeScript sources as they are,
// so the operators' tool always runs the very modules the app runs.
require('tsx/cjs/api').register();
const { run } = require('./main.ts');

run(process.argv.slice(2), { out: process.stdout, err: process.stderr, env: process.env }).then(
    (code) => {
        process.exitCode = code;
    },
    (e) => {
        process.stderr.write(`autoheal: ${e && e.message ? e.message : e}\n`);
        process.exitCode = 2;
    },
);
