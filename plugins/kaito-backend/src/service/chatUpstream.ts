import {
  InferenceProtocol,
  UpstreamChat,
} from '@kaito-backstage/plugin-kaito-node';
import { ChatCompletionRequest } from '@kaito-backstage/plugin-kaito-common';

/**
 * What the chat relay needs of a model server: a Workspace's or external
 * endpoint's InferenceUpstream, or a RAGEngine's RagChatUpstream.
 */
export interface ChatUpstream {
  readonly target: { readonly label: string };
  /** A RAG upstream: its answers carry `source_nodes` (an empty list when nothing was retrieved). */
  readonly sourceNodes?: boolean;
  /** What `GET .../models` answers (an OpenAI model list). */
  models(signal?: AbortSignal): Promise<unknown>;
  detect(signal?: AbortSignal): Promise<{ protocol: InferenceProtocol }>;
  chat(
    request: ChatCompletionRequest,
    signal: AbortSignal,
    options?: { maxTokens?: number },
  ): Promise<UpstreamChat>;
}
