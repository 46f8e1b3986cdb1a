/**
 * `yarn workspace @kaito-backstage/kaito-simulator start`: the simulated
 * cluster behind the portal's default configuration, at demo speed on a
 * fixed port, seeded with one Workspace.
 *
 *   KAITO_SIMULATOR_PORT       Kubernetes API port (default 7100)
 *   KAITO_SIMULATOR_TOKEN      bearer token (default kaito-simulator-dev-token)
 *   KAITO_SIMULATOR_ARM_PORT   also serve the ARM subset (HTTPS) on this port
 *   KAITO_SIMULATOR_ARM_CA_FILE  where to write the ARM certificate (PEM) for the portal to trust
 *   KAITO_SIMULATOR_ENTRA_SECRET client secret the Entra stand-in accepts (default kaito-simulator-dev-secret)
 *   KAITO_SIMULATOR_CONTROLLER_VERSION  KAITO release to imitate, e.g. 0.8.0 (default 0.12.0)
 *   KAITO_SIMULATOR_SEED       `demo` (default: the phi-4-mini Workspace) or `none` (an empty cluster)
 *   KAITO_SIMULATOR_FAULTS     scripted faults as JSON, '{"<namespace>/<workspace or ragengine>": "<fault>"}' (default none)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SimulatorFault } from './controller/faults';
import { ControllerVersion } from './controller/version';
import { DEMO_SEED } from './demoSeed';
import { startSimulator } from './simulator';

const DEFAULT_PORT = 7100;
const DEFAULT_TOKEN = 'kaito-simulator-dev-token';

function portFrom(name: string, fallback?: number): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    throw new Error(
      `${name} must be a port number between 1 and 65535, got "${raw}"`,
    );
  }
  return port;
}

/** `KAITO_SIMULATOR_FAULTS`: a JSON object; startSimulator checks its keys and fault names. */
/** The faults' names are checked by startSimulator (checkFaults), which names a bad one. */
function faultsFrom(name: string): Record<string, SimulatorFault> {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(
      `${name} must be a JSON object like '{"default/llama": "quotaExceeded"}', got ${JSON.stringify(
        raw,
      )}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(
      `${name} must be a JSON object of "<namespace>/<workspace or ragengine>": "<fault>"`,
    );
  }
  return parsed as Record<string, SimulatorFault>;
}

/** `KAITO_SIMULATOR_CONTROLLER_VERSION`: the KAITO release to imitate (unset: the simulator's default). */
function versionFrom(name: string): string | undefined {
  const raw = process.env[name]?.trim();
  if (!raw) return undefined;
  if (!/^v?\d+\.\d+(\.\d+)?$/.test(raw)) {
    throw new Error(
      `${name} must be a KAITO release like 0.12.0 or v0.8, got ${JSON.stringify(
        raw,
      )}`,
    );
  }
  return new ControllerVersion(raw).raw;
}

/** `KAITO_SIMULATOR_SEED`: `demo` (default) or `none`. */
function seedFrom(name: string): object[] {
  const raw = process.env[name]?.trim() || 'demo';
  if (raw === 'demo') return DEMO_SEED;
  if (raw === 'none') return [];
  throw new Error(`${name} must be demo or none, got ${JSON.stringify(raw)}`);
}

async function main(): Promise<void> {
  let port = DEFAULT_PORT;
  let armPort: number | undefined;
  let faults: Record<string, SimulatorFault> = {};
  let controllerVersion: string | undefined;
  let seed: object[] = DEMO_SEED;
  try {
    seed = seedFrom('KAITO_SIMULATOR_SEED');
    controllerVersion = versionFrom('KAITO_SIMULATOR_CONTROLLER_VERSION');
    port = portFrom('KAITO_SIMULATOR_PORT', DEFAULT_PORT)!;
    armPort = portFrom('KAITO_SIMULATOR_ARM_PORT');
    faults = faultsFrom('KAITO_SIMULATOR_FAULTS');
  } catch (e) {
    console.error(`kaito-simulator: ${(e as Error).message}`);
    process.exit(1);
  }
  const token = process.env.KAITO_SIMULATOR_TOKEN || DEFAULT_TOKEN;
  try {
    const sim = await startSimulator({
      port,
      token,
      timings: 'demo',
      seed,
      faults,
      ...(controllerVersion ? { controllerVersion } : {}),
      ...(armPort
        ? {
            arm: {
              port: armPort,
              entra: {
                clientSecret:
                  process.env.KAITO_SIMULATOR_ENTRA_SECRET ||
                  'kaito-simulator-dev-secret',
              },
            },
          }
        : {}),
    });
    console.log(`kaito-simulator listening on ${sim.url}`);
    if (sim.armUrl) {
      const caFile = process.env.KAITO_SIMULATOR_ARM_CA_FILE;
      if (caFile && sim.armCaPem) {
        mkdirSync(dirname(caFile), { recursive: true });
        writeFileSync(caFile, sim.armCaPem);
      }
      console.log(
        `kaito-simulator ARM (and Entra token endpoint) listening on ${
          sim.armUrl
        }${caFile ? `; certificate in ${caFile}` : ''}`,
      );
    }
    const shutdown = () => {
      sim.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { port?: number };
    if (err.code === 'EADDRINUSE') {
      const which =
        armPort !== undefined && err.port === armPort
          ? 'KAITO_SIMULATOR_ARM_PORT'
          : 'KAITO_SIMULATOR_PORT';
      const p = err.port ?? port;
      console.error(
        `kaito-simulator: port ${p} is already in use; stop whatever holds it or set ${which} to a free port`,
      );
    } else {
      console.error(`kaito-simulator: could not start: ${err.message}`);
    }
    process.exit(1);
  }
}

main();
