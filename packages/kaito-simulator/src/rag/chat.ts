import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { contentText } from '@kaito-backstage/plugin-kaito-common';
import type {
  RagChatCompletionResponse,
  RagSourceNode,
} from '@kaito-backstage/plugin-kaito-common';
import { countTokens } from '../inference/generator';
import { json } from '../inference/http';
import { citedAnswer, contextMessage } from './answer';
import { HttpError } from './errors';
import type { RagIndexStore } from './indexStore';
import { LlmClient, LlmRequestError } from './llm';

/**
 * `POST /v1/chat/completions` in the order the engine checks things
 * (`main.py`, then `vector_store/base.py::chat_completion`).
 */

export interface ChatDeps {
  indexes: RagIndexStore;
  /** Absent in retrieve-only mode (no spec.inferenceService). */
  llm?: LlmClient;
  /** LLM_CONTEXT_WINDOW (spec.inferenceService.contextWindowSize; engine default 64000). */
  contextWindow: number;
}

type Msg = { role?: unknown; content?: unknown };

const NOT_CONFIGURED =
  'InferenceService not configured. This RAGEngine instance only supports document retrieve via /retrieve API. To use chat completions, configure an InferenceService in the RAGEngine spec.';
/** Nodes sent as context at most (the engine fills a share of the window; 5 keeps answers short). */
const MAX_CONTEXT_NODES = 5;

function pyNumber(v: unknown): string {
  return typeof v === 'number' && Number.isInteger(v) ? `${v}` : String(v);
}

async function passthrough(
  llm: LlmClient,
  body: Record<string, unknown>,
  res: ServerResponse,
): Promise<void> {
  const stream = body.stream === true;
  if (!llm.supportsChat)
    throw new HttpError(
      400,
      `Chat completions not supported through endpoint ${llm.inferenceUrl}.`,
    );
  const forwarded = { ...body };
  delete forwarded.index_name;
  delete forwarded.context_token_ratio;
  let upstream: Response;
  try {
    upstream = await llm.post(forwarded);
  } catch (e) {
    const what = stream
      ? 'Error during streaming POST request'
      : 'Error during POST request';
    throw new HttpError(500, `${what}: ${(e as Error).message}`);
  }
  if (!upstream.ok) throw await LlmClient.upstreamError(upstream);
  if (!stream) {
    const data = (await upstream.json()) as Record<string, unknown>;
    json(res, 200, { ...data, source_nodes: null });
    return;
  }
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  const source = Readable.fromWeb(upstream.body as never);
  res.on('close', () => source.destroy());
  source.on('error', () => res.destroy());
  source.pipe(res);
}

/** Last user messages since the latest assistant message, and the rest as history. */
function splitPrompt(messages: Msg[]) {
  const user: string[] = [];
  const history: Msg[] = [];
  let all = '';
  let assistantSeen = false;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    const text = contentText(m.content);
    all = `${all}\n\n${text}`;
    if (m.role === 'user' && !assistantSeen) user.unshift(text);
    else {
      if (m.role === 'assistant') assistantSeen = true;
      history.unshift(m);
    }
  }
  return { prompt: user.join('\n\n'), history, all };
}

function checkMessages(messages: Msg[]): void {
  for (const m of messages) {
    if (!m || typeof m !== 'object' || !m.role)
      throw new HttpError(
        400,
        "Invalid request format: messages must contain 'role'.",
      );
    if (
      m.role !== 'assistant' &&
      (m.content === undefined || m.content === null)
    )
      throw new HttpError(
        400,
        `Invalid request format: messages must contain 'content' for role '${String(
          m.role,
        )}'.`,
      );
    if (m.role === 'user' && !m.content)
      throw new HttpError(
        400,
        "Invalid request format: user messages must contain 'content'.",
      );
  }
}

export async function chatCompletion(
  deps: ChatDeps,
  body: Record<string, unknown>,
  res: ServerResponse,
): Promise<void> {
  const llm = deps.llm;
  if (!llm) throw new HttpError(503, NOT_CONFIGURED);
  if (body.tools || body.functions)
    throw new HttpError(400, 'tools and functions are not supported.');
  if (typeof body.n === 'number' && body.n > 1)
    throw new HttpError(400, 'n > 1 is not supported.');
  const indexName = body.index_name;
  if (
    indexName &&
    (typeof indexName !== 'string' || !deps.indexes.has(indexName))
  )
    throw new HttpError(404, `No such index: '${String(indexName)}' exists.`);
  const ratio = body.context_token_ratio;
  if (ratio && (typeof ratio !== 'number' || ratio < 0.2 || ratio > 0.8))
    throw new HttpError(
      400,
      `Invalid context_token_ratio: ${pyNumber(
        ratio,
      )}. Must be between 0.2 and 0.8.`,
    );
  if (!indexName) {
    await passthrough(llm, body, res);
    return;
  }
  if (body.stream === true)
    throw new HttpError(
      400,
      'stream=true is only supported for passthrough chat completions.',
    );

  // The engine reads `messages` with a default of [] (no user prompt: 400 below).
  const messages = (Array.isArray(body.messages) ? body.messages : []) as Msg[];
  checkMessages(messages);
  const { prompt, history, all } = splitPrompt(messages);
  if (prompt === '')
    throw new HttpError(
      400,
      'There must be a user prompt since the latest assistant message.',
    );
  const promptTokens = countTokens(all);
  if (promptTokens > deps.contextWindow)
    throw new HttpError(400, 'Prompt length exceeds context window.');

  // Context nodes: the best matches that fit the context share of what is left of the window.
  const budget =
    (deps.contextWindow - promptTokens) *
    (typeof ratio === 'number' && ratio ? ratio : 0.5);
  const nodes: RagSourceNode[] = [];
  let used = 0;
  for (const n of deps.indexes.retrieve(
    indexName as string,
    prompt,
    MAX_CONTEXT_NODES,
  )) {
    const t = countTokens(n.text);
    if (used + t > budget) break;
    nodes.push(n);
    used += t;
  }
  // Nothing relevant: the engine falls back to a plain passthrough answer.
  if (nodes.length === 0) {
    await passthrough(llm, { ...body, stream: false }, res);
    return;
  }

  const request: Record<string, unknown> = {
    messages: [
      { role: 'system', content: contextMessage(nodes) },
      ...history,
      { role: 'user', content: prompt },
    ],
  };
  for (const k of ['model', 'temperature', 'top_p', 'max_tokens'])
    if (body[k] !== undefined && body[k] !== null) request[k] = body[k];
  let reply: {
    model?: string;
    choices?: Array<{ message?: { content?: unknown } }>;
    usage?: { prompt_tokens?: number };
  };
  try {
    const upstream = await llm.post(request);
    if (!upstream.ok)
      throw new Error(`${upstream.status} ${await upstream.text()}`);
    reply = (await upstream.json()) as typeof reply;
  } catch (e) {
    const why = e instanceof LlmRequestError ? e.message : (e as Error).message;
    throw new HttpError(500, `Chat completion failed: ${why}`);
  }
  const content = citedAnswer(
    nodes,
    prompt,
    contentText(reply.choices?.[0]?.message?.content),
  );
  const prompt_tokens = reply.usage?.prompt_tokens ?? promptTokens + used;
  const completion_tokens = countTokens(content);
  const answer: RagChatCompletionResponse = {
    id: randomUUID().replace(/-/g, ''),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: typeof body.model === 'string' ? body.model : reply.model ?? '',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content },
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens,
      completion_tokens,
      total_tokens: prompt_tokens + completion_tokens,
    },
    source_nodes: nodes.map(n => ({
      doc_id: n.doc_id,
      node_id: n.node_id,
      text: n.text,
      score: n.score,
      metadata: n.metadata ?? null,
    })),
  };
  json(res, 200, answer);
}
