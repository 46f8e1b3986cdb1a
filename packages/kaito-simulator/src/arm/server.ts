import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Server, createServer } from 'node:https';
import { Duplex } from 'node:stream';
import { ArmError, invalidRequestContent, toArmError } from './errors';
import { Throttle } from './throttle';
import { EntraSimulator } from './entra';
import { ArmFaults } from './faults';
import { MintedCertificate } from './tls';
import { ArmRequest, ArmResponse, ArmRoute } from './types';

/** ARM rejects request bodies above 4 MiB. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const API_VERSION = /^\d{4}-\d{2}-\d{2}(-[A-Za-z]+)?$/;
const SERVED_NAMESPACES = ['microsoft.containerservice', 'microsoft.compute'];

export interface ArmServerConfig {
  subscriptionId: string;
  routes: ArmRoute[];
  throttle: Throttle;
  certificate: MintedCertificate;
  logger: { warn(message: string): void };
  /** Entra token endpoint and metadata, served before the ARM front door. */
  entra?: EntraSimulator;
  faults?: ArmFaults;
  baseUrl?: () => string;
}

interface CompiledRoute {
  segments: string[];
  route: ArmRoute;
}

function compile(routes: ArmRoute[]): CompiledRoute[] {
  return routes.map(route => ({ segments: route.path.split('/'), route }));
}

function match(
  compiled: CompiledRoute[],
  segments: string[],
): { route: ArmRoute; params: Record<string, string> } | undefined {
  for (const candidate of compiled) {
    if (candidate.segments.length !== segments.length) {
      continue;
    }
    const params: Record<string, string> = {};
    const ok = candidate.segments.every((pattern, index) => {
      if (pattern.startsWith('{')) {
        params[pattern.slice(1, -1)] = segments[index];
        return true;
      }
      return pattern.toLowerCase() === segments[index].toLowerCase();
    });
    if (ok) {
      return { route: candidate.route, params };
    }
  }
  return undefined;
}

/** Reads the whole body, discarding (and then refusing) anything over the limit. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        reject(
          new ArmError(
            413,
            'RequestEntityTooLarge',
            `The request body is ${size} bytes; the limit is ${MAX_BODY_BYTES} bytes.`,
          ),
        );
      } else {
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', reject);
  });
}

function parseJson(req: IncomingMessage, body: Buffer): unknown {
  const contentType = req.headers['content-type'];
  if (
    contentType &&
    !/^application\/([\w.+-]*\+)?json\b/i.test(contentType.trim())
  ) {
    throw new ArmError(
      415,
      'UnsupportedMediaType',
      `The content media type '${contentType}' is not supported. Only 'application/json' is supported.`,
    );
  }
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    throw invalidRequestContent(
      'the request body is empty; send the resource as a JSON object.',
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalidRequestContent(
      `the body is not valid JSON (${
        error instanceof Error ? error.message : 'parse error'
      }).`,
    );
  }
}

/** The checks ARM's front door makes before any resource provider sees a request. */
function frontDoor(req: IncomingMessage, config: ArmServerConfig) {
  const [rawPath, rawQuery = ''] = (req.url ?? '/').split('?', 2);
  const query = new URLSearchParams(rawQuery);
  let segments: string[];
  try {
    segments = rawPath
      .split('/')
      .filter(s => s !== '')
      .map(s => decodeURIComponent(s));
  } catch {
    throw new ArmError(
      400,
      'InvalidRequestUri',
      `The request URI path '${rawPath.slice(
        0,
        200,
      )}' has malformed percent-encoding.`,
    );
  }

  const authorization = req.headers.authorization;
  if (!authorization) {
    throw new ArmError(
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is missing.",
      {
        'www-authenticate':
          'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."',
      },
    );
  }
  if (!/^Bearer\s+\S+/i.test(authorization)) {
    throw new ArmError(
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is provided in an invalid format; send 'Bearer <token>'.",
    );
  }

  const apiVersion = query.get('api-version');
  if (apiVersion === null || apiVersion === '') {
    throw new ArmError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  }
  if (!API_VERSION.test(apiVersion)) {
    throw new ArmError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${apiVersion.slice(
        0,
        60,
      )}' is invalid. The supported versions look like 'YYYY-MM-DD' or 'YYYY-MM-DD-preview', e.g. '2026-06-01'.`,
    );
  }

  if (segments[0]?.toLowerCase() !== 'subscriptions' || segments.length < 2) {
    throw new ArmError(
      400,
      'MissingSubscription',
      'The request did not have a subscription or a valid tenant level resource provider. The simulator serves paths below /subscriptions/{subscriptionId}/.',
    );
  }
  if (segments[1].toLowerCase() !== config.subscriptionId.toLowerCase()) {
    throw new ArmError(
      404,
      'SubscriptionNotFound',
      `The subscription '${segments[1].slice(
        0,
        80,
      )}' could not be found. This simulator serves subscription '${
        config.subscriptionId
      }'.`,
    );
  }
  return { segments: segments.slice(2), query, apiVersion };
}

function notServed(segments: string[], apiVersion: string): ArmError {
  const providers = segments.findIndex(s => s.toLowerCase() === 'providers');
  const namespace = providers >= 0 ? segments[providers + 1] : undefined;
  if (namespace && !SERVED_NAMESPACES.includes(namespace.toLowerCase())) {
    return new ArmError(
      404,
      'InvalidResourceNamespace',
      `The resource namespace '${namespace.slice(
        0,
        80,
      )}' is invalid. The simulator serves Microsoft.ContainerService and Microsoft.Compute.`,
    );
  }
  const type = namespace
    ? segments
        .slice(providers + 2)
        .filter((_, i) => i % 2 === 0)
        .join('/')
    : segments.join('/');
  return new ArmError(
    404,
    'InvalidResourceType',
    `The resource type '${type.slice(
      0,
      120,
    )}' could not be found in the namespace '${
      namespace ?? '(none)'
    }' for api version '${apiVersion}'. ` +
      'The simulator serves managedClusters (with listClusterUserCredential), Microsoft.Compute locations/usages and skus.',
  );
}

/** The HTTPS server: front-door checks, throttling, routing, and ARM-shaped errors. */
export function createArmServer(config: ArmServerConfig): Server {
  const routes = compile(config.routes);

  async function respond(req: IncomingMessage): Promise<ArmResponse> {
    const body = await readBody(req);
    const method = (req.method ?? 'GET').toUpperCase();
    const rawPath = (req.url ?? '/').split('?')[0];
    if (config.entra && !/^\/subscriptions(\/|$)/i.test(rawPath)) {
      const entra = config.entra.handle(
        method,
        rawPath.split('/').filter(Boolean),
        body.toString('utf8'),
        config.baseUrl?.() ?? '',
      );
      if (entra) return entra;
    }
    const { segments, query, apiVersion } = frontDoor(req, config);
    const injected = config.faults?.take(method, rawPath);
    if (injected) return injected;
    const rateHeaders = config.throttle.admit(
      method === 'GET' || method === 'HEAD' ? 'reads' : 'writes',
    );
    const found = match(routes, segments);
    if (!found) {
      throw notServed(segments, apiVersion);
    }
    const handler = found.route.methods[method as keyof ArmRoute['methods']];
    if (!handler) {
      const allow = Object.keys(found.route.methods).join(', ');
      throw new ArmError(
        405,
        'MethodNotAllowed',
        `The requested resource does not support http method '${method}'. Use ${allow}.`,
        { allow },
      );
    }
    const armRequest: ArmRequest = {
      method,
      apiVersion,
      query,
      params: found.params,
      headers: req.headers,
      json: () => parseJson(req, body),
    };
    const response = await handler(armRequest);
    return { ...response, headers: { ...rateHeaders, ...response.headers } };
  }

  const server = createServer(
    { cert: config.certificate.certPem, key: config.certificate.keyPem },
    (req: IncomingMessage, res: ServerResponse) => {
      const requestId = randomUUID();
      respond(req)
        .catch((error: unknown): ArmResponse => {
          if (!(error instanceof ArmError)) {
            config.logger.warn(
              `ARM simulator: unexpected error for ${req.method} ${
                (req.url ?? '').split('?')[0]
              }: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
          const armError = toArmError(error);
          return {
            status: armError.status,
            body: armError.toBody(),
            headers: armError.headers,
          };
        })
        .then(response => {
          if (res.headersSent || res.destroyed) {
            return;
          }
          res.writeHead(response.status, {
            'content-type': 'application/json; charset=utf-8',
            'cache-control': 'no-cache',
            'x-ms-request-id': requestId,
            'x-ms-correlation-request-id': requestId,
            ...response.headers,
          });
          res.end(
            response.body === undefined
              ? undefined
              : JSON.stringify(response.body),
          );
        });
    },
  );
  // Never hang on a client that stops sending.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  // Even requests Node cannot parse as HTTP get an ARM-shaped answer.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const timeout = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    const status = timeout ? 408 : 400;
    const body = JSON.stringify({
      error: {
        code: timeout ? 'RequestTimeout' : 'BadRequest',
        message: timeout
          ? 'The request was not received completely within 30 seconds.'
          : `The request could not be parsed as HTTP/1.1 (${
              error.code ?? 'parse error'
            }).`,
      },
    });
    socket.end(
      `HTTP/1.1 ${status} ${timeout ? 'Request Timeout' : 'Bad Request'}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(
          body,
        )}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}
