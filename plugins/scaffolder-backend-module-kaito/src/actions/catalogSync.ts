import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { KaitoCatalogSync } from '@kaito-backstage/plugin-kaito-node';
import { stringify } from 'yaml';

/** How often the catalog is read while waiting, and the sync re-sent. */
const POLL_MS = 500;
const REPUBLISH_MS = 10_000;

function parseRef(value: string): CompoundEntityRef {
  try {
    return parseEntityRef(value, {
      defaultKind: 'resource',
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw new InputError(
      `entityRef: '${value}' is not an entity reference such as resource:default/phi-4-mini (${
        (error as Error).message
      })`,
    );
  }
}

function sleep(ms: number, signal?: AbortSignal) {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('The task was cancelled'));
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('The task was cancelled'));
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function errorText(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string } };
  const code = err.cause?.code ? ` (${err.cause.code})` : '';
  return `${err.message ?? String(e)}${code}`;
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** Errors worth polling through: the connection failed, or the catalog answered 5xx. */
export function isTransient(e: unknown): boolean {
  const err = e as {
    name?: string;
    message?: string;
    code?: string;
    statusCode?: number;
    response?: { status?: number };
    cause?: { code?: string };
  };
  if (!err || err.name === 'AbortError') return false;
  const status = err.statusCode ?? err.response?.status;
  if (typeof status === 'number') return status >= 500;
  const code = err.code ?? err.cause?.code;
  if (code && TRANSIENT_CODES.has(code)) return true;
  return /fetch failed|socket hang up|ECONNRESET/.test(err.message ?? '');
}

/**
 * `kaito:catalog:sync`: asks the KAITO catalog provider to refresh now (the
 * shared `kaitoCatalogSyncServiceRef` signal) and waits until the entity is in the catalog,
 * or gone with `expect: absent`. Registration itself is the provider's job:
 * it derives entities from the Workspaces and AKS clusters, so no git host
 * or catalog-info.yaml URL is needed.
 */
export function createCatalogSyncAction(deps: {
  catalog: CatalogService;
  sync: KaitoCatalogSync;
  discovery: DiscoveryService;
  auth: AuthService;
}) {
  return createTemplateAction({
    id: 'kaito:catalog:sync',
    description:
      'Refreshes the KAITO catalog provider now and waits until the entity of a Workspace or AKS cluster is registered (or, with expect: absent, unregistered).',
    supportsDryRun: true,
    examples: [
      {
        description: 'Wait until the new Workspace is in the catalog',
        example: stringify({
          steps: [
            {
              id: 'register',
              action: 'kaito:catalog:sync',
              input: {
                entityRef: '${{ steps.apply.output.entityRef }}',
                cluster: '${{ steps.apply.output.cluster }}',
              },
            },
          ],
        }),
      },
      {
        description: 'Wait until a deleted Workspace has left the catalog',
        example: stringify({
          steps: [
            {
              id: 'unregister',
              action: 'kaito:catalog:sync',
              input: {
                entityRef: 'resource:default/phi-4-mini',
                expect: 'absent',
              },
            },
          ],
        }),
      },
    ],
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .min(1)
            .describe(
              'The entity to wait for, e.g. resource:default/phi-4-mini',
            ),
        cluster: z =>
          z
            .string()
            .optional()
            .describe(
              'A cluster that may be new to the registry (reloaded first)',
            ),
        expect: z =>
          z
            .enum(['present', 'absent'])
            .optional()
            .describe('Wait until the entity is present (default) or absent'),
        timeoutMinutes: z =>
          z
            .number()
            .min(0.1)
            .max(30)
            .optional()
            .describe('How long to wait; default 2'),
      },
      output: {
        entityRef: z => z.string().describe('The entity reference'),
        openaiBaseUrl: z =>
          z
            .string()
            .describe(
              "The model's OpenAI-compatible base URL through the portal (GET /models, POST /chat/completions)",
            ),
        present: z =>
          z.boolean().describe('Whether the entity is in the catalog'),
      },
    },
    async handler(ctx) {
      const ref = parseRef(ctx.input.entityRef);
      const entityRef = stringifyEntityRef(ref);
      const expect = ctx.input.expect ?? 'present';
      const kaitoUrl = await deps.discovery.getExternalBaseUrl('kaito');
      const openaiBaseUrl = `${kaitoUrl}/entity/${encodeURIComponent(
        ref.kind.toLocaleLowerCase('en-US'),
      )}/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.name)}`;
      ctx.output('entityRef', entityRef);
      ctx.output('openaiBaseUrl', openaiBaseUrl);
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would refresh the KAITO catalog provider and wait until ${entityRef} is ${expect}`,
        );
        ctx.output('present', expect === 'present');
        return;
      }

      const request = ctx.input.cluster ? { cluster: ctx.input.cluster } : {};
      const started = Date.now();
      const deadline = started + (ctx.input.timeoutMinutes ?? 2) * 60_000;
      let publishedAt = 0;
      let warned = false;
      let lastError: unknown;
      for (;;) {
        if (Date.now() - publishedAt >= REPUBLISH_MS) {
          publishedAt = Date.now();
          // Resolves once the provider (in this process) has refreshed.
          const { handled } = await deps.sync.request(request);
          if (handled === 0 && !warned) {
            warned = true;
            ctx.logger.warn(
              'No KAITO catalog provider answered the sync request; waiting for the catalog to pick the entity up (install @kaito-backstage/plugin-catalog-backend-module-kaito)',
            );
          }
        }
        let entity: Awaited<ReturnType<CatalogService['getEntityByRef']>>;
        try {
          entity = await deps.catalog.getEntityByRef(entityRef, {
            credentials: await deps.auth.getOwnServiceCredentials(),
          });
        } catch (e) {
          // A dropped connection or a 5xx while polling is not the answer:
          // poll on until the deadline. A 4xx (refused, malformed) is final.
          if (!isTransient(e)) throw e;
          if (!lastError) {
            ctx.logger.info(
              `The catalog did not answer (${errorText(
                e,
              )}); polling on until the deadline`,
            );
          }
          lastError = e;
          if (Date.now() >= deadline) {
            throw new Error(
              `The catalog did not answer for ${entityRef} within ${
                ctx.input.timeoutMinutes ?? 2
              } min: ${errorText(e)}`,
            );
          }
          await sleep(POLL_MS, ctx.signal);
          continue;
        }
        if (!!entity === (expect === 'present')) {
          const seconds = ((Date.now() - started) / 1000).toFixed(1);
          ctx.logger.info(
            expect === 'present'
              ? `${entityRef} is in the catalog (${seconds} s)`
              : `${entityRef} has left the catalog (${seconds} s)`,
          );
          ctx.output('present', !!entity);
          return;
        }
        if (Date.now() >= deadline) {
          throw new Error(
            expect === 'present'
              ? `${entityRef} did not appear in the catalog within ${
                  ctx.input.timeoutMinutes ?? 2
                } min. Check that the Workspace carries the backstage.io/owner annotation and that the catalog module @kaito-backstage/plugin-catalog-backend-module-kaito is installed.`
              : `${entityRef} is still in the catalog after ${
                  ctx.input.timeoutMinutes ?? 2
                } min; is its Workspace or cluster still there?`,
          );
        }
        await sleep(POLL_MS, ctx.signal);
      }
    },
  });
}
