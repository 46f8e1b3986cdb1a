import { InfoCard, InfoCardVariants } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { KAITO_RAGENGINE_ANNOTATION } from '@kaito-backstage/plugin-kaito-common';
import { ChatPanel } from '../ChatPanel/ChatPanel';

/**
 * Chat with the model behind the current entity (`kaito.sh/workspace` or
 * `kaito.sh/external-target`), or with the documents of its RAGEngine
 * (`kaito.sh/ragengine`, sources under each answer): streamed markdown answers
 * with Stop, system prompt and sampling settings, and saved conversations.
 *
 * @public
 */
export function EntityKaitoChatCard(props: { variant?: InfoCardVariants }) {
  const { entity } = useEntity();
  // A RAGEngine answers from the entity's documents, with its sources under each answer.
  const rag =
    entity.metadata.annotations?.[KAITO_RAGENGINE_ANNOTATION] !== undefined;
  return (
    <ChatPanel
      entity={entity}
      layout="card"
      frame={(content, modelLine) => (
        <InfoCard
          title={rag ? 'Chat with the documents' : 'Chat with the model'}
          subheader={modelLine}
          variant={props.variant}
        >
          {content}
        </InfoCard>
      )}
    />
  );
}
