#!/usr/bin/env node
// Entry point. rtc-node logs through pino to *stdout* at debug level unless NODE_ENV is
// "production"; that would corrupt --json output, so set it before anything can load it.
process.env.NODE_ENV ??= 'production';
const { main } = await import('../dist/cli.js');
await main(process.argv);
