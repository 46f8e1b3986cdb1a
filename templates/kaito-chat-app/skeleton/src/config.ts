/** Where the app sends chat requests. */
export type ChatProvider = 'openai' | 'azure';

/** The app's configuration, read from the environment (see README). */
export interface AppConfig {
  provider: ChatProvider;
  /** OpenAI-compatible base URL ending in /v1 (or the portal relay's entity URL). */
  baseURL?: string;
  apiKey: string;
  /** Model name; when absent the first model of GET /models is used. */
  model?: string;
  azure?: { endpoint: string; deployment: string; apiVersion: string };
  systemPrompt?: string;
  temperature?: number;
  topP?: number;
  maxTokens: number;
  host: string;
  port: number;
  /** Upstream request timeout in ms. */
  timeoutMs: number;
}

/** A configuration problem, naming the environment variable to fix. */
export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function text(env: Env, key: string): string | undefined {
  const v = env[key]?.trim();
  return v ? v : undefined;
}

function num(
  env: Env,
  key: string,
  min: number,
  max: number,
  integer = false,
): number | undefined {
  const raw = text(env, key);
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (
    !Number.isFinite(v) ||
    v < min ||
    v > max ||
    (integer && !Number.isInteger(v))
  ) {
    throw new ConfigError(
      key,
      `must be ${
        integer ? 'a whole number' : 'a number'
      } from ${min} to ${max}, got "${raw}"`,
    );
  }
  return v;
}

function url(env: Env, key: string): string | undefined {
  const raw = text(env, key);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(key, `must be an http(s) URL, got "${raw}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(key, `must be an http(s) URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

/** Reads and checks the configuration; throws ConfigError naming the variable to fix. */
export function loadConfig(env: Env = process.env): AppConfig {
  const providerRaw = text(env, 'CHAT_PROVIDER') ?? 'openai';
  if (providerRaw !== 'openai' && providerRaw !== 'azure') {
    throw new ConfigError(
      'CHAT_PROVIDER',
      `must be "openai" (any OpenAI-compatible endpoint: KAITO, the portal relay) or "azure" (Azure OpenAI), got "${providerRaw}"`,
    );
  }
  const common = {
    systemPrompt: text(env, 'SYSTEM_PROMPT'),
    temperature: num(env, 'TEMPERATURE', 0, 2),
    topP: num(env, 'TOP_P', 0, 1),
    maxTokens: num(env, 'MAX_TOKENS', 1, 131072, true) ?? 1024,
    host: text(env, 'HOST') ?? '0.0.0.0',
    port: num(env, 'PORT', 0, 65535, true) ?? 8080,
    timeoutMs:
      num(env, 'UPSTREAM_TIMEOUT_MS', 1000, 3_600_000, true) ?? 300_000,
  };

  if (providerRaw === 'azure') {
    const endpoint = url(env, 'AZURE_OPENAI_ENDPOINT');
    if (!endpoint)
      throw new ConfigError(
        'AZURE_OPENAI_ENDPOINT',
        'is required with CHAT_PROVIDER=azure, e.g. https://my-resource.openai.azure.com',
      );
    const deployment = text(env, 'AZURE_OPENAI_DEPLOYMENT');
    if (!deployment)
      throw new ConfigError(
        'AZURE_OPENAI_DEPLOYMENT',
        'is required with CHAT_PROVIDER=azure: the name of the model deployment',
      );
    const apiKey = text(env, 'AZURE_OPENAI_API_KEY');
    if (!apiKey)
      throw new ConfigError(
        'AZURE_OPENAI_API_KEY',
        'is required with CHAT_PROVIDER=azure (the resource key)',
      );
    return {
      provider: 'azure',
      apiKey,
      model: deployment,
      azure: {
        endpoint,
        deployment,
        apiVersion: text(env, 'AZURE_OPENAI_API_VERSION') ?? '2024-10-21',
      },
      ...common,
    };
  }

  const baseURL = url(env, 'OPENAI_BASE_URL');
  if (!baseURL)
    throw new ConfigError(
      'OPENAI_BASE_URL',
      'is required: the OpenAI-compatible base URL, e.g. http://phi-4-mini.default.svc.cluster.local/v1 or the portal relay http://localhost:7007/api/kaito/entity/resource/default/phi-4-mini',
    );
  return {
    provider: 'openai',
    baseURL,
    // KAITO's inference server needs no key; the OpenAI client insists on one.
    apiKey: text(env, 'OPENAI_API_KEY') ?? 'not-needed',
    model: text(env, 'OPENAI_MODEL'),
    ...common,
  };
}
