import OpenAI, { AzureOpenAI } from 'openai';
import type { AppConfig } from './config';
import { NoModelError } from './errors';

/** A chat message from the page. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Talks to the configured endpoint with the official OpenAI client. */
export class ChatService {
  private readonly client: OpenAI;
  private detectedModel?: Promise<string>;

  constructor(private readonly config: AppConfig) {
    this.client =
      config.provider === 'azure' && config.azure
        ? new AzureOpenAI({
            endpoint: config.azure.endpoint,
            apiKey: config.apiKey,
            deployment: config.azure.deployment,
            apiVersion: config.azure.apiVersion,
            timeout: config.timeoutMs,
            maxRetries: 1,
          })
        : new OpenAI({
            baseURL: config.baseURL,
            apiKey: config.apiKey,
            timeout: config.timeoutMs,
            maxRetries: 1,
          });
  }

  /** The base URL requests go to (for the startup log; holds no secret). */
  get baseURL(): string {
    return this.client.baseURL;
  }

  /** The configured model, or the first one the endpoint lists (cached once found). */
  model(): Promise<string> {
    if (this.config.model) return Promise.resolve(this.config.model);
    if (!this.detectedModel) {
      this.detectedModel = this.client.models
        .list()
        .then(page => {
          const id = page.data[0]?.id;
          if (!id) throw new NoModelError();
          return id;
        })
        .catch(e => {
          this.detectedModel = undefined; // try again next time
          throw e;
        });
    }
    return this.detectedModel;
  }

  /** Streams the answer's text deltas; aborting `signal` cancels the upstream request. */
  async *stream(
    messages: ChatMessage[],
    signal: AbortSignal,
  ): AsyncGenerator<string> {
    const model = await this.model();
    const all: ChatMessage[] = this.config.systemPrompt
      ? [{ role: 'system', content: this.config.systemPrompt }, ...messages]
      : messages;
    const stream = await this.client.chat.completions.create(
      {
        model,
        messages: all,
        stream: true,
        max_tokens: this.config.maxTokens,
        temperature: this.config.temperature,
        top_p: this.config.topP,
      },
      { signal },
    );
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta?.content;
      if (delta) yield delta;
    }
  }
}
