import { Content, InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { ChatPanel } from '../ChatPanel/ChatPanel';

/**
 * The chat as an entity tab: saved conversations beside the conversation.
 *
 * @public
 */
export function EntityKaitoChatContent() {
  const { entity } = useEntity();
  return (
    <Content noPadding>
      <ChatPanel
        entity={entity}
        layout="page"
        frame={(content, modelLine) => (
          <InfoCard title="Chat with the model" subheader={modelLine}>
            <div style={{ ['--kaito-chat-max-height' as any]: '60vh' }}>
              {content}
            </div>
          </InfoCard>
        )}
      />
    </Content>
  );
}
