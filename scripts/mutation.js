#!/usr/bin/env node
/* eslint-disable no-console */
// Mutation testing (not run in CI; figures go into the notes).
//
//   yarn mutation                                  everything below, one after the other
//   yarn mutation stryker <package> [--mutate <file>] [--rev <commit>]
//   yarn mutation behaviour <package> [--only <id,id>] [--tests <pattern>] [--rev <commit>]
//
// `stryker` runs StrykerJS with the package's stryker.conf.js (kaito-common,
// kaito-node, kaito-backend); `behaviour` applies the named mutations of
// scripts/mutation/mutants/<package>.js one at a time and runs the package's
// real-stack tests, which Stryker's jest runner cannot run (kaito-backend,
// kaito-node). Both work on a scratch copy of the committed tree, never on
// the working tree. On a shared machine, mutate one file at a time.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { makeScratch, root } = require('./mutation/scratch');

const [mode, pkg, ...rest] = process.argv.slice(2);
const opt = name => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? rest[i + 1] : undefined;
};

function run(cmd, args, cwd) {
  return new Promise(resolve => {
    const child = spawn(cmd, args, { cwd, stdio: 'inherit', detached: true });
    const stop = () => {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // gone
      }
      process.exit(130); // removes the scratch copy (exit handler)
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    child.on('exit', code => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(code ?? 1);
    });
  });
}

async function stryker(name, mutate) {
  const { dir, cleanup } = makeScratch(opt('rev') ?? 'HEAD', `stryker-${name}`);
  try {
    const cwd = path.join(dir, 'plugins', name);
    // Today's Stryker setup, also for an older --rev that predates it.
    for (const f of ['stryker.conf.js', 'stryker.jest.config.js'])
      fs.copyFileSync(path.join(root, 'plugins', name, f), path.join(cwd, f));
    const args = [
      path.join(root, 'node_modules', '.bin', 'stryker'),
      'run',
      'stryker.conf.js',
    ];
    if (mutate) args.push('--mutate', mutate);
    const code = await run(process.execPath, args, cwd);
    const reports = path.join(cwd, 'reports', 'mutation');
    if (fs.existsSync(reports)) {
      const to = path.join(root, 'plugins', name, 'reports', 'mutation');
      fs.mkdirSync(to, { recursive: true });
      fs.cpSync(reports, to, { recursive: true });
      console.log(`report: ${path.relative(root, to)}/index.html`);
    }
    return code;
  } finally {
    cleanup();
  }
}

function behaviour(name) {
  return run(
    process.execPath,
    [path.join(__dirname, 'mutation', 'behaviour.js'), name, ...rest],
    root,
  );
}

async function main() {
  if (mode === 'stryker' && pkg) return stryker(pkg, opt('mutate'));
  if (mode === 'behaviour' && pkg) return behaviour(pkg);
  if (mode) {
    console.error(
      'usage: yarn mutation [stryker <package> [--mutate <file>] | behaviour <package> [--only <ids>]] [--rev <commit>]',
    );
    return 2;
  }
  let worst = 0;
  for (const [name, file] of [
    ['kaito-common', 'src/fit.ts'],
    ['kaito-common', 'src/manifests/common.ts'],
    ['kaito-common', 'src/manifests/inference.ts'],
    ['kaito-common', 'src/manifests/tuning.ts'],
    // Its stryker.conf.js lists the workspace cache's files.
    ['kaito-node', undefined],
  ])
    worst = Math.max(worst, await stryker(name, file));
  for (const name of ['kaito-backend', 'kaito-node'])
    worst = Math.max(worst, await behaviour(name));
  return worst;
}

main().then(code => process.exit(code));
