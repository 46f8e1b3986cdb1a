import { spawn } from 'child_process';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import ts from 'typescript';

const REPO_NODE_MODULES = path.resolve(__dirname, '../../../../node_modules');

/**
 * Writes the rendered files to a scratch folder and builds them as the generated repository
 * would (`npm run build` = `tsc -p tsconfig.json`), with the repo's installed openai,
 * @types/node and typescript standing in for `npm install`.
 */
export async function buildRenderedApp(files: Map<string, string>) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'chat-app-'));
  for (const [p, text] of files) {
    await fs.mkdir(path.dirname(path.join(dir, p)), { recursive: true });
    await fs.writeFile(path.join(dir, p), text);
  }
  await fs.symlink(REPO_NODE_MODULES, path.join(dir, 'node_modules'));
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(dir, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  )!;
  const program = ts.createProgram(config.fileNames, config.options);
  const emitted = program.emit();
  const diagnostics = [
    ...ts.getPreEmitDiagnostics(program),
    ...emitted.diagnostics,
  ].map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  return {
    dir,
    diagnostics,
    remove: () => fs.rm(dir, { recursive: true, force: true }),
  };
}

/**
 * Starts the built app (`npm start` = `node dist/main.js`) and resolves with its URL once it
 * logs that it listens; rejects with its output when it exits first.
 */
export function runRenderedApp(dir: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const stop = () =>
    new Promise<void>(resolve => {
      if (child.exitCode !== null) resolve();
      else {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }
    });
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', code =>
      reject(new Error(`the app exited with ${code}: ${output}`)),
    );
  });
  return { url, stop, output: () => output };
}
