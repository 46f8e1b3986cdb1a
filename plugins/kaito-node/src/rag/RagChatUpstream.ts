import { ChatCompletionRequest } from '@kaito-backstage/plugin-kaito-common';
import {
  InferenceProtocol,
  ModelList,
  UpstreamChat,
} from '../inference/InferenceUpstream';
import { UpstreamError } from '../inference/UpstreamError';
import { RagEngineClient } from './RagEngineClient';

/** The model id a RAG entity lists when the engine's LLM is not known. */
export const RAG_MODEL_ID = 'rag';

/**
 * A RAGEngine's retrieval-augmented chat over one index, shaped like an
 * InferenceUpstream (target, detect, chat) so the chat relay serves it
 * with its limits, audit, metrics and errors.
 *
 * The index is fixed when this is made (from the entity), and any
 * `index_name` in a request is replaced by it. Real KAITO refuses
 * `stream: true` together with `index_name`, so the engine is always asked
 * for a whole JSON answer; the relay streams it to a caller who asked for
 * a stream (see kaito-backend's jsonAnswer.ts).
 */
export class RagChatUpstream {
  /** Its answers carry `source_nodes`. */
  readonly sourceNodes = true;
  readonly target: {
    id: string;
    label: string;
    allowsLegacy: false;
    defaultModel?: string;
    maxTokensField: 'max_tokens';
  };

  constructor(
    private readonly client: RagEngineClient,
    readonly index: string,
    /** The served model of the engine's inference Workspace, when known. */
    readonly model?: string,
  ) {
    this.target = {
      id: `${client.target.id}#${index}`,
      label: client.label,
      allowsLegacy: false,
      defaultModel: model,
      maxTokensField: 'max_tokens',
    };
  }

  /** What `GET models` answers: the engine's LLM when known, else one `rag` entry. */
  async models(): Promise<ModelList> {
    return {
      object: 'list',
      data: [
        {
          id: this.model ?? RAG_MODEL_ID,
          object: 'model',
          owned_by: 'kaito-ragengine',
          index: this.index,
        },
      ],
    };
  }

  async detect(): Promise<{ protocol: InferenceProtocol; models: ModelList }> {
    return { protocol: 'openai', models: await this.models() };
  }

  async chat(
    request: ChatCompletionRequest,
    signal: AbortSignal,
  ): Promise<UpstreamChat> {
    const {
      index_name: _ignored,
      stream: _stream,
      stream_options: _options,
      model,
      max_completion_tokens,
      max_tokens,
      ...rest
    } = request as ChatCompletionRequest & { index_name?: unknown };
    const allowed = [RAG_MODEL_ID, ...(this.model ? [this.model] : [])];
    if (model !== undefined && !allowed.includes(model)) {
      throw new UpstreamError(
        'invalid_request',
        `model "${String(model).slice(0, 80)}" is not served by ${
          this.target.label
        }; allowed: ${allowed.join(', ')} (or leave "model" out)`,
        400,
      );
    }
    // Without a model the engine asks its LLM for its default one; the
    // engine takes the completion limit as `max_tokens`.
    const limit = (max_tokens ?? max_completion_tokens) as number | undefined;
    const body = {
      ...rest,
      ...(limit !== undefined ? { max_tokens: limit } : {}),
      ...(model && model !== RAG_MODEL_ID ? { model } : {}),
      index_name: this.index,
      stream: false,
    };
    const response = await this.client.chat(body, signal);
    return {
      protocol: 'openai',
      model: model ?? this.model ?? RAG_MODEL_ID,
      maxTokens: limit,
      response,
    };
  }
}
