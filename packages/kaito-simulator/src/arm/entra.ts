import {
  createHmac,
  randomBytes,
  randomUUID,
  timingSafeEqual,
} from 'node:crypto';
import { ArmResponse } from './types';

/** The AKS Entra ID server application: tokens for it sign in to AKS API servers. */
export const AKS_AUDIENCE = '6dae42f8-4368-4678-94ff-3960e28e3630';
export const DEFAULT_TENANT_ID = '00000000-0000-0000-0000-00000000beef';
export const DEFAULT_CLIENT_ID = '11111111-1111-1111-1111-111111111111';

export interface EntraOptions {
  tenantId?: string;
  /** The one service principal the token endpoint knows. */
  clientId?: string;
  /** Its secret; generated when omitted. */
  clientSecret?: string;
  /** Token lifetime in seconds. Default 3600. */
  lifetimeSeconds?: number;
}

function b64url(value: object | Buffer) {
  const buf = Buffer.isBuffer(value)
    ? value
    : Buffer.from(JSON.stringify(value));
  return buf.toString('base64url');
}

function sameText(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function oauthError(
  status: number,
  error: string,
  description: string,
): ArmResponse {
  return {
    status,
    body: {
      error,
      error_description: description,
      error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)],
      timestamp: new Date().toISOString(),
      trace_id: randomUUID(),
      correlation_id: randomUUID(),
    },
  };
}

/**
 * A Microsoft Entra ID stand-in: the OpenID metadata and the v2 token
 * endpoint (client-credentials grant) that MSAL — and so @azure/identity's
 * ClientSecretCredential with `authorityHost` pointing here — uses. Tokens
 * are HS256 JWTs signed with a key minted per run; simulated AKS clusters
 * accept those issued for the AKS audience, as Entra-enabled AKS does.
 */
export class EntraSimulator {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly #key = randomBytes(32);
  readonly #lifetime: number;

  constructor(options: EntraOptions = {}) {
    this.tenantId = options.tenantId ?? DEFAULT_TENANT_ID;
    this.clientId = options.clientId ?? DEFAULT_CLIENT_ID;
    this.clientSecret =
      options.clientSecret ??
      `sim-secret-${randomBytes(12).toString('base64url')}`;
    this.#lifetime = options.lifetimeSeconds ?? 3600;
  }

  #sign(payload: object) {
    const head = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}`;
    return `${head}.${createHmac('sha256', this.#key)
      .update(head)
      .digest('base64url')}`;
  }

  /** True for an unexpired token this simulator issued for `audience`. */
  verify(token: string, audience: string): boolean {
    const parts = token.split('.');
    if (parts.length !== 3) return false;
    const expected = createHmac('sha256', this.#key)
      .update(`${parts[0]}.${parts[1]}`)
      .digest('base64url');
    if (!sameText(parts[2], expected)) return false;
    try {
      const claims = JSON.parse(
        Buffer.from(parts[1], 'base64url').toString('utf8'),
      );
      return claims.aud === audience && claims.exp * 1000 > Date.now();
    } catch {
      return false;
    }
  }

  /**
   * Serves the Entra paths (no ARM front door): returns undefined for any
   * other path so ARM handles it.
   */
  handle(
    method: string,
    segments: string[],
    body: string,
    baseUrl: string,
  ): ArmResponse | undefined {
    const lower = segments.map(s => s.toLowerCase());
    if (
      lower[0] === 'common' &&
      lower[1] === 'discovery' &&
      lower[2] === 'instance'
    ) {
      return {
        status: 200,
        body: {
          tenant_discovery_endpoint: `${baseUrl}/${this.tenantId}/v2.0/.well-known/openid-configuration`,
          'api-version': '1.1',
          metadata: [],
        },
      };
    }
    const tenant = segments[0];
    const rest = lower.slice(1).join('/');
    if (rest === 'v2.0/.well-known/openid-configuration' && method === 'GET') {
      const base = `${baseUrl}/${tenant}`;
      return {
        status: 200,
        body: {
          token_endpoint: `${base}/oauth2/v2.0/token`,
          token_endpoint_auth_methods_supported: [
            'client_secret_post',
            'private_key_jwt',
            'client_secret_basic',
          ],
          jwks_uri: `${base}/discovery/v2.0/keys`,
          response_modes_supported: ['query', 'fragment', 'form_post'],
          subject_types_supported: ['pairwise'],
          id_token_signing_alg_values_supported: ['RS256'],
          response_types_supported: [
            'code',
            'id_token',
            'code id_token',
            'id_token token',
          ],
          scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
          issuer: `${base}/v2.0`,
          request_uri_parameter_supported: false,
          userinfo_endpoint: `${baseUrl}/oidc/userinfo`,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
          http_logout_supported: true,
          frontchannel_logout_supported: true,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`,
          claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid'],
          tenant_region_scope: 'NA',
          cloud_instance_name: 'microsoftonline.com',
          cloud_graph_host_name: 'graph.windows.net',
          msgraph_host: 'graph.microsoft.com',
        },
      };
    }
    if (rest === 'oauth2/v2.0/token') {
      if (method !== 'POST')
        return oauthError(
          405,
          'invalid_request',
          'AADSTS900561: The endpoint only accepts POST requests.',
        );
      return this.#token(tenant, new URLSearchParams(body));
    }
    return undefined;
  }

  #token(tenant: string, form: URLSearchParams): ArmResponse {
    if (tenant.toLowerCase() !== this.tenantId.toLowerCase()) {
      return oauthError(
        400,
        'invalid_request',
        `AADSTS90002: Tenant '${tenant}' not found. The simulator serves tenant ${this.tenantId}.`,
      );
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return oauthError(
        400,
        'unsupported_grant_type',
        'AADSTS70003: The simulator supports only the client_credentials grant.',
      );
    }
    const clientId = form.get('client_id') ?? '';
    const secret = form.get('client_secret') ?? '';
    if (clientId !== this.clientId) {
      return oauthError(
        400,
        'unauthorized_client',
        `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${this.tenantId}'.`,
      );
    }
    if (!sameText(secret, this.clientSecret)) {
      return oauthError(
        401,
        'invalid_client',
        `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      );
    }
    const scope = (form.get('scope') ?? '')
      .split(' ')
      .find(s => s.endsWith('/.default'));
    if (!scope) {
      return oauthError(
        400,
        'invalid_scope',
        'AADSTS1002012: The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.',
      );
    }
    const now = Math.floor(Date.now() / 1000);
    const audience = scope.slice(0, -'/.default'.length);
    const token = this.#sign({
      aud: audience,
      iss: `https://sts.windows.net/${this.tenantId}/`,
      iat: now,
      nbf: now,
      exp: now + this.#lifetime,
      appid: clientId,
      oid: clientId,
      sub: clientId,
      tid: this.tenantId,
      ver: '1.0',
    });
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        expires_in: this.#lifetime,
        ext_expires_in: this.#lifetime,
        access_token: token,
      },
    };
  }
}
