#!/usr/bin/env node
/* eslint-disable no-console */
// Behaviour mutation testing for packages whose real-stack tests (the test
// backend, the simulator, real sockets) Stryker's jest runner cannot run.
//
// Each named mutation replaces one exact piece of a source file. The script
// makes a scratch copy of the repository at one commit (default HEAD; see
// scratch.js), then for every mutation applies it there, runs the package's
// tests, records killed (tests failed) or survived, and restores the file.
// The working tree is never touched, so it can run while others work; the
// scratch copy is removed on exit, Ctrl-C or failure.
//
//   node scripts/mutation/behaviour.js <package> [--rev <commit>] [--only id,id] [--tests pattern] [--no-baseline] [--list]
//
// <package>: a file in scripts/mutation/mutants/ (kaito-backend, kaito-node).

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { makeScratch } = require('./scratch');
const args = process.argv.slice(2);
const pkgName = args.find(a => !a.startsWith('--'));
const opt = name => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
if (!pkgName) {
  console.error(
    'usage: behaviour.js <package> [--only id,id] [--tests pattern] [--list]',
  );
  process.exit(2);
}
const spec = require(path.join(__dirname, 'mutants', `${pkgName}.js`));
const only = opt('only')?.split(',');
const mutants = spec.mutants.filter(m => !only || only.includes(m.id));

if (args.includes('--list')) {
  for (const m of mutants) console.log(`${m.id}\t${m.file}\t${m.what}`);
  process.exit(0);
}

// Check every mutation applies to the source before spending minutes.
function checkApplicable(base) {
  for (const m of mutants) {
    const text = fs.readFileSync(path.join(base, m.file), 'utf8');
    const n = text.split(m.find).length - 1;
    if (n !== 1) {
      console.error(
        `${m.id}: the text to replace occurs ${n} times in ${m.file} (must be exactly once); update scripts/mutation/mutants/${pkgName}.js`,
      );
      process.exit(2);
    }
  }
}

const { dir: scratch, cleanup: removeScratch } = makeScratch(
  opt('rev') ?? 'HEAD',
  pkgName,
);
let child;
function cleanup() {
  if (child && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  removeScratch();
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    cleanup();
    process.exit(130);
  });
}
process.on('uncaughtException', error => {
  console.error(error);
  cleanup();
  process.exit(1);
});
checkApplicable(scratch);

function runTests(m) {
  const cwd = path.join(scratch, spec.packageDir);
  const testArgs = ['backstage-cli', 'package', 'test', '--watchAll=false'];
  const pattern = opt('tests') ?? m.tests ?? spec.tests;
  if (pattern) testArgs.push(pattern);
  if (spec.bail !== false) testArgs.push('--bail');
  return new Promise(resolve => {
    const started = Date.now();
    child = spawn('yarn', testArgs, {
      cwd,
      detached: true,
      env: { ...process.env, CI: 'true', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', d => (out += d));
    child.stderr.on('data', d => (out += d));
    const limit = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }, (spec.timeoutSeconds ?? 600) * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(limit);
      const failed = [...out.matchAll(/^\s+✕ (.*)$/gm)].map(x => x[1]);
      resolve({
        code,
        signal,
        seconds: Math.round((Date.now() - started) / 1000),
        failed,
        tail: out.slice(-1500),
      });
    });
  });
}

async function main() {
  console.log(
    `${mutants.length} behaviour mutations of ${pkgName} (scratch copy ${scratch})`,
  );
  // The baseline runs every suite a mutant will run (--no-baseline skips it
  // when those suites were just seen green).
  const patterns = [...new Set(mutants.map(m => m.tests ?? spec.tests))];
  const baseline = args.includes('--no-baseline')
    ? { code: 0, seconds: 0 }
    : await runTests({
        tests: patterns.includes(undefined) ? undefined : patterns.join('|'),
      });
  if (baseline.code !== 0) {
    console.error(
      `The unmutated tests fail; fix that first.\n${baseline.tail}`,
    );
    process.exitCode = 2;
    return;
  }
  console.log(`baseline: green in ${baseline.seconds} s`);
  const results = [];
  for (const m of mutants) {
    const file = path.join(scratch, m.file);
    const original = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, original.replace(m.find, m.replace));
    let r;
    try {
      r = await runTests(m);
    } finally {
      fs.writeFileSync(file, original);
    }
    const killed = r.code !== 0;
    results.push({ ...m, killed, r });
    console.log(
      `${killed ? 'killed  ' : 'SURVIVED'} ${m.id} (${r.seconds} s)${
        killed && r.failed.length
          ? ` by: ${r.failed.slice(0, 2).join(' | ')}`
          : ''
      }${r.signal ? ` [${r.signal}: timed out]` : ''}`,
    );
  }
  const byFile = new Map();
  for (const r of results) {
    const f = byFile.get(r.file) ?? { killed: 0, total: 0 };
    f.total++;
    if (r.killed) f.killed++;
    byFile.set(r.file, f);
  }
  console.log('\nmodule\tkilled/total');
  for (const [f, { killed, total }] of byFile)
    console.log(
      `${f}\t${killed}/${total} (${Math.round((100 * killed) / total)} %)`,
    );
  const k = results.filter(r => r.killed).length;
  console.log(
    `all\t${k}/${results.length} (${Math.round((100 * k) / results.length)} %)`,
  );
  const survivors = results.filter(r => !r.killed);
  if (survivors.length) {
    console.log('\nsurvivors:');
    for (const s of survivors) console.log(`- ${s.id}: ${s.what}`);
  }
}

main().finally(cleanup);
