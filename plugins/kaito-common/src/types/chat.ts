/**
 * OpenAI chat-completions shapes, as served by KAITO's vLLM and (v0.9+)
 * Transformers runtimes. Only the fields the plugins use are spelled out;
 * other OpenAI fields pass through untouched.
 */

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool' | 'developer';

export interface ChatMessage {
  role: ChatRole;
  content: string | null;
  name?: string;
  tool_call_id?: string;
  tool_calls?: Array<Record<string, unknown>>;
  /** vLLM reasoning parsers put chain-of-thought here. */
  reasoning_content?: string | null;
  [key: string]: unknown;
}

export interface ChatCompletionRequest {
  /** Optional on the Backstage side: the backend fills the served name. */
  model?: string;
  messages: ChatMessage[];
  stream?: boolean;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  stop?: string | string[];
  [key: string]: unknown;
}

export interface ChatCompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface ChatCompletionResponse {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: ChatMessage;
    finish_reason: string | null;
  }>;
  usage?: ChatCompletionUsage;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: Partial<ChatMessage>;
    finish_reason: string | null;
  }>;
  usage?: ChatCompletionUsage | null;
}

/**
 * KAITO <= v0.8 Transformers runtime `POST /chat` body: either a text
 * `prompt` or conversational `messages`, plus HF `generate_kwargs`.
 */
export interface LegacyChatRequest {
  prompt?: string;
  messages?: Array<{ role: string; content: string }>;
  return_full_text?: boolean;
  generate_kwargs: Record<string, unknown>;
}

/** KAITO <= v0.8 `POST /chat` response. */
export interface LegacyChatResponse {
  Result: string;
}
