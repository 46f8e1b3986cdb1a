import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A throwaway PostgreSQL server on loopback, made from the machine's own server
 * binaries: the production database stand-in for the tests of the packages that
 * store data (the portal backend, kaito-backend's saved conversations).
 */
export interface TestPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  stop(): Promise<void>;
}

/** Finds `initdb`/`pg_ctl`: on PATH, or under Debian's /usr/lib/postgresql/<version>/bin. */
export function findPostgresBinDir(): string | undefined {
  const candidates = (process.env.PATH ?? '').split(path.delimiter);
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    for (const version of fs.readdirSync(debian).sort().reverse()) {
      candidates.push(path.join(debian, version, 'bin'));
    }
  }
  return candidates.find(
    dir =>
      dir &&
      fs.existsSync(path.join(dir, 'initdb')) &&
      fs.existsSync(path.join(dir, 'pg_ctl')),
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// PostgreSQL refuses to run as root; when we are root, run it as the `postgres` system user.
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(
      execFileSync('id', ['-u', 'postgres']).toString().trim(),
    );
    const gid = Number(
      execFileSync('id', ['-g', 'postgres']).toString().trim(),
    );
    return { uid, gid };
  } catch {
    throw new Error(
      'running as root and there is no "postgres" user to run the PostgreSQL server as',
    );
  }
}

function run(cmd: string, args: string[], user?: { uid: number; gid: number }) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, {
      ...user,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', d => (output += d));
    child.stderr.on('data', d => (output += d));
    child.on('error', reject);
    child.on('exit', code =>
      code === 0
        ? resolve()
        : reject(
            new Error(`${path.basename(cmd)} exited with ${code}:\n${output}`),
          ),
    );
  });
}

export async function startPostgres(binDir: string): Promise<TestPostgres> {
  const user = runAs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaito-pg-'));
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
  if (user) {
    fs.chownSync(dir, user.uid, user.gid);
    fs.chownSync(dataDir, user.uid, user.gid);
  }
  const password = 'backstage-test';
  const pwFile = path.join(dir, 'pw');
  fs.writeFileSync(pwFile, password, { mode: 0o600 });
  if (user) fs.chownSync(pwFile, user.uid, user.gid);

  await run(
    path.join(binDir, 'initdb'),
    [
      '-D',
      dataDir,
      '-U',
      'backstage',
      '--pwfile',
      pwFile,
      '-A',
      'scram-sha-256',
      '--no-sync',
    ],
    user,
  );
  const port = await freePort();
  await run(
    path.join(binDir, 'pg_ctl'),
    [
      '-D',
      dataDir,
      '-w',
      '-l',
      path.join(dir, 'server.log'),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      'start',
    ],
    user,
  );
  return {
    host: '127.0.0.1',
    port,
    user: 'backstage',
    password,
    async stop() {
      await run(
        path.join(binDir, 'pg_ctl'),
        ['-D', dataDir, '-m', 'immediate', 'stop'],
        user,
      );
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
