import { InfoCard, InfoCardVariants } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { ChatPanel } from '../ChatPanel/ChatPanel';

/**
 * Chat with the model behind the current entity (`kaito.sh/workspace` or
 * `kaito.sh/external-target`): streamed markdown answers with Stop, system
 * prompt and sampling settings, and saved conversations.
 *
 * @public
 */
export function EntityKaitoChatCard(props: { variant?: InfoCardVariants }) {
  const { entity } = useEntity();
  return (
    <ChatPanel
      entity={entity}
      layout="card"
      frame={(content, modelLine) => (
        <InfoCard
          title="Chat with the model"
          subheader={modelLine}
          variant={props.variant}
        >
          {content}
        </InfoCard>
      )}
    />
  );
}
