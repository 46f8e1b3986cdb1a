import { stringifyEntityRef } from '@backstage/catalog-model';
import { KaitoHttpError } from '../service/errors';
import { KaitoActionDeps } from './deps';
import { ENTITY_REF_DESCRIPTION, parseEntityInput } from './entityRef';
import { postEntityRoute } from './entityRoute';

/**
 * `kaito:chat`: one non-streamed completion from an entity's model.
 *
 * It goes through the plugin's own chat route
 * (`POST /entity/:kind/:namespace/:name/chat/completions`) with a token
 * issued on behalf of the caller, so the permission check on the entity,
 * `kaito.limits` (body size, max tokens, requests in flight per user,
 * timeouts), the audit event (without the prompt unless
 * `kaito.audit.includePrompts`) and the metrics are exactly the route's.
 */
export function registerChatAction(deps: KaitoActionDeps) {
  deps.actionsRegistry.register({
    name: 'chat',
    title: "Ask a KAITO workspace's model",
    description:
      "Sends a conversation to the model behind a catalog entity (its KAITO Workspace or configured endpoint) and returns the model's answer, not streamed. The Workspace must be Ready (see get-workspace-status). Runs under your identity, with the portal's chat permission, limits and audit.",
    // Reads nothing back into the environment, but spends GPU time and the
    // answer varies between calls.
    attributes: { readOnly: true, idempotent: false, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z.string().min(1).describe(ENTITY_REF_DESCRIPTION),
          messages: z
            .array(
              z.object({
                role: z.enum(['system', 'user', 'assistant']),
                content: z.string().min(1),
              }),
            )
            .min(1)
            .describe(
              'The conversation, oldest first; the last is usually the user question',
            ),
          maxTokens: z
            .number()
            .int()
            .min(1)
            .optional()
            .describe(
              'Most tokens to generate (capped by kaito.limits.maxTokens)',
            ),
          temperature: z.number().min(0).max(2).optional(),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          model: z.string().optional(),
          content: z.string(),
          finishReason: z.string().optional(),
          usage: z
            .object({
              promptTokens: z.number().optional(),
              completionTokens: z.number().optional(),
            })
            .optional(),
        }),
    },
    action: async ({ input, credentials }) => {
      const ref = parseEntityInput(input.entityRef);
      const { res, body } = await postEntityRoute(
        deps,
        credentials,
        ref,
        'chat/completions',
        {
          messages: input.messages,
          stream: false,
          ...(input.maxTokens !== undefined
            ? { max_tokens: input.maxTokens }
            : {}),
          ...(input.temperature !== undefined
            ? { temperature: input.temperature }
            : {}),
        },
      );
      if (!res.ok) {
        // The route's error (kaito error shape), passed on; a Workspace that
        // is not Ready yet (409) also tells the agent what to do next.
        const code = body?.error?.code ?? 'chat_failed';
        const message =
          body?.error?.message ?? `The chat route answered ${res.status}`;
        throw new KaitoHttpError(
          res.status,
          code,
          code === 'workspace_not_ready'
            ? `${message.replace(
                /\.\s*$/,
                '',
              )}. Poll get-workspace-status for ${stringifyEntityRef(
                ref,
              )} until its phase is Ready, then ask again.`
            : message,
        );
      }
      const choice = body?.choices?.[0];
      return {
        output: {
          entityRef: stringifyEntityRef(ref),
          model: body?.model,
          content: String(choice?.message?.content ?? ''),
          finishReason: choice?.finish_reason ?? undefined,
          usage: body?.usage
            ? {
                promptTokens: body.usage.prompt_tokens,
                completionTokens: body.usage.completion_tokens,
              }
            : undefined,
        },
      };
    },
  });
}
