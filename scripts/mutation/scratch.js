/* eslint-disable no-console */
// A scratch copy of the repository at one commit, for mutation runs: the
// committed sources (git archive, so nobody's work in progress gets in and
// the working tree is never touched), with node_modules linked from the
// working tree. Removed when the process exits (callers turn Ctrl-C and
// failures into an exit after stopping their children).

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');

function makeScratch(rev, label) {
  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), `kaito-mutation-${label}-`),
  );
  let removed = false;
  const cleanup = () => {
    if (removed) return;
    removed = true;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // Callers stop their own children on signals, then exit; this runs last.
  process.on('exit', cleanup);
  const archive = execFileSync('git', ['archive', '--format=tar', rev], {
    cwd: root,
    maxBuffer: 1024 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  // node_modules at the root and in every workspace that has its own.
  const link = rel => {
    const from = path.join(root, rel, 'node_modules');
    const to = path.join(dir, rel, 'node_modules');
    if (fs.existsSync(from) && fs.existsSync(path.dirname(to)))
      fs.symlinkSync(from, to);
  };
  link('.');
  for (const group of ['plugins', 'packages']) {
    for (const pkg of fs.readdirSync(path.join(root, group)))
      link(path.join(group, pkg));
  }
  if (fs.existsSync(path.join(root, '.tools')))
    fs.symlinkSync(path.join(root, '.tools'), path.join(dir, '.tools'));
  return { dir, cleanup };
}

module.exports = { makeScratch, root };
