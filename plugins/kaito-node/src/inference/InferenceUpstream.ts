import {
  ChatCompletionRequest,
  ChatCompletionResponse,
  fromLegacyChatResponse,
  toLegacyChatRequest,
} from '@kaito-backstage/plugin-kaito-common';
import { IncomingMessage } from 'node:http';
import { readBody } from '../kubernetes/KubernetesClient';
import { InferenceTarget } from './targets';
import {
  completionLimit,
  serializeChatRequest,
  withTokenLimit,
} from './upstreamBudget';
import { networkError, raceAbort } from './upstreamNetworkError';
import { UpstreamError, upstreamStatusError } from './UpstreamError';

/** `openai`: `/v1/models` + `/v1/chat/completions`. `legacy`: KAITO <= v0.8 Transformers `POST /chat`. */
export type InferenceProtocol = 'openai' | 'legacy';

export interface ModelList {
  object: 'list';
  data: Array<{
    id: string;
    object: 'model';
    owned_by?: string;
    [key: string]: unknown;
  }>;
}

/** What a chat call produced; `maxTokens` is the completion limit sent (none: undefined). */
export type UpstreamChat =
  /** OpenAI server: its response, body unread, status 2xx. */
  | {
      protocol: 'openai';
      model: string;
      maxTokens?: number;
      response: IncomingMessage;
    }
  /** Legacy server: the whole answer, already translated to OpenAI. */
  | {
      protocol: 'legacy';
      model: string;
      maxTokens?: number;
      completion: ChatCompletionResponse;
    };

export interface ChatOptions {
  /**
   * Cap for the completion limit filled in when the request sets none: the
   * room the model's context leaves after the prompt, at most this.
   * Without it, a request without a limit is sent without one.
   */
  maxTokens?: number;
}

export interface InferenceUpstreamOptions {
  /** How long a detected protocol and model list are trusted (default 60 s). */
  detectTtlMs?: number;
  /** Upper bound for a non-streamed upstream body (default 8 MiB). */
  maxBodyBytes?: number;
  /** Deadline for the `/v1/models` probe (default 30 s). */
  probeTimeoutMs?: number;
}

const JSON_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json',
};

/**
 * One model server. Detects which protocol it speaks (`GET /v1/models`
 * first; a 404 means the legacy `/chat` server), caches the served model
 * name, and sends chat requests in that protocol.
 */
export class InferenceUpstream {
  readonly target: InferenceTarget;
  readonly #ttl: number;
  readonly #maxBody: number;
  readonly #probeTimeout: number;
  #detected?: { protocol: InferenceProtocol; models: ModelList; at: number };
  #detecting?: Promise<{ protocol: InferenceProtocol; models: ModelList }>;

  constructor(target: InferenceTarget, options: InferenceUpstreamOptions = {}) {
    this.target = target;
    this.#ttl = options.detectTtlMs ?? 60_000;
    this.#maxBody = options.maxBodyBytes ?? 8 * 1024 * 1024;
    this.#probeTimeout = options.probeTimeoutMs ?? 30_000;
  }

  /** Forget the detected protocol (e.g. after the Workspace changed). */
  invalidate() {
    this.#detected = undefined;
  }

  /** The protocol and models, from cache when fresh. */
  async detect(
    signal?: AbortSignal,
  ): Promise<{ protocol: InferenceProtocol; models: ModelList }> {
    if (this.#detected && Date.now() - this.#detected.at < this.#ttl) {
      return this.#detected;
    }
    // One probe in flight, however many chats start at once. It has its own
    // deadline: one caller going away must not fail the others' probe.
    this.#detecting ??= this.#probe(
      AbortSignal.timeout(this.#probeTimeout),
    ).finally(() => {
      this.#detecting = undefined;
    });
    if (!signal) return this.#detecting;
    return raceAbort(this.#detecting, signal, this.target.label);
  }

  async models(signal?: AbortSignal): Promise<ModelList> {
    return (await this.detect(signal)).models;
  }

  /**
   * Sends a chat request. Fills `model` with the served name when the
   * caller left it out, and the completion limit when the caller set none
   * (see {@link ChatOptions.maxTokens}). Throws UpstreamError for every failure.
   */
  async chat(
    request: ChatCompletionRequest,
    signal: AbortSignal,
    options: ChatOptions = {},
  ): Promise<UpstreamChat> {
    const { protocol, models } = await this.detect(signal);
    const model = this.#pickModel(request.model, models);
    const body = withTokenLimit(
      { ...request, model },
      models,
      options.maxTokens,
      this.target,
    );
    const maxTokens = completionLimit(body);
    if (protocol === 'legacy') {
      const res = await this.#send(
        '/chat',
        'POST',
        serializeChatRequest(toLegacyChatRequest(body)),
        signal,
      );
      const text = await this.#readText(res, signal);
      if (res.statusCode !== 200) {
        if (res.statusCode === 404) this.invalidate();
        throw upstreamStatusError(
          this.target.label,
          res.statusCode!,
          text,
          header(res, 'retry-after'),
        );
      }
      try {
        return {
          protocol,
          model,
          maxTokens,
          completion: fromLegacyChatResponse(text, model, { maxTokens }),
        };
      } catch (error) {
        throw new UpstreamError(
          'invalid_response',
          `${this.target.label}: ${(error as Error).message}`,
          502,
        );
      }
    }
    const res = await this.#send(
      '/v1/chat/completions',
      'POST',
      serializeChatRequest(body),
      signal,
    );
    if (res.statusCode! < 200 || res.statusCode! >= 300) {
      const text = await this.#readText(res, signal);
      // A redeployed Workspace may have changed runtime.
      if (res.statusCode === 404 && !/model/i.test(text)) this.invalidate();
      throw upstreamStatusError(
        this.target.label,
        res.statusCode!,
        text,
        header(res, 'retry-after'),
      );
    }
    return { protocol, model, maxTokens, response: res };
  }

  /**
   * The models a caller may ask for. External targets: the configured
   * `model` (only what the endpoint lists when none is configured). KAITO
   * Workspaces: the names the server lists at /v1/models (the preset's
   * served name when it lists none, e.g. the legacy runtime).
   */
  allowedModels(models: ModelList): string[] {
    const listed = models.data.map(m => m.id);
    if (!this.target.allowsLegacy && this.target.defaultModel) {
      return [this.target.defaultModel];
    }
    if (listed.length > 0) return listed;
    return this.target.defaultModel ? [this.target.defaultModel] : [];
  }

  #pickModel(requested: string | undefined, models: ModelList): string {
    const allowed = this.allowedModels(models);
    if (allowed.length === 0) {
      throw new UpstreamError(
        'invalid_response',
        `${this.target.label} lists no models, and none is configured`,
        502,
      );
    }
    if (requested === undefined) return allowed[0];
    if (!allowed.includes(requested)) {
      throw new UpstreamError(
        'invalid_request',
        `model "${requested.slice(0, 80)}" is not served by ${
          this.target.label
        }; allowed: ${allowed.slice(0, 20).join(', ')} (or leave "model" out)`,
        400,
      );
    }
    return requested;
  }

  async #probe(signal?: AbortSignal) {
    const res = await this.#send('/v1/models', 'GET', undefined, signal);
    const text = await this.#readText(res, signal);
    let result: { protocol: InferenceProtocol; models: ModelList };
    if (
      res.statusCode === 404 &&
      this.target.allowsLegacy &&
      !isKubernetesStatus(text)
    ) {
      const id = this.target.defaultModel;
      result = {
        protocol: 'legacy',
        models: {
          object: 'list',
          data: id ? [{ id, object: 'model', owned_by: 'kaito' }] : [],
        },
      };
    } else if (res.statusCode === 200) {
      result = {
        protocol: 'openai',
        models: parseModelList(this.target.label, text),
      };
    } else {
      throw upstreamStatusError(
        this.target.label,
        res.statusCode!,
        text,
        header(res, 'retry-after'),
      );
    }
    this.#detected = { ...result, at: Date.now() };
    return result;
  }

  async #send(
    path: string,
    method: string,
    body: string | undefined,
    signal?: AbortSignal,
  ) {
    try {
      return await this.target.send(path, {
        method,
        body,
        headers: JSON_HEADERS,
        signal,
      });
    } catch (error) {
      throw networkError(this.target.label, error, signal);
    }
  }

  async #readText(res: IncomingMessage, signal?: AbortSignal): Promise<string> {
    try {
      return await readBody(res, this.#maxBody);
    } catch (error) {
      throw networkError(this.target.label, error, signal);
    }
  }
}

/** Kubernetes answers 404 with a Status object when the Service itself is missing. */
function isKubernetesStatus(text: string): boolean {
  try {
    return JSON.parse(text)?.kind === 'Status';
  } catch {
    return false;
  }
}

function parseModelList(label: string, text: string): ModelList {
  try {
    const parsed = JSON.parse(text);
    if (Array.isArray(parsed?.data)) {
      const data = parsed.data.filter((m: any) => typeof m?.id === 'string');
      return { object: 'list', data };
    }
  } catch {
    // fall through
  }
  throw new UpstreamError(
    'invalid_response',
    `${label} answered /v1/models with something that is not a model list`,
    502,
  );
}

function header(res: IncomingMessage, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
