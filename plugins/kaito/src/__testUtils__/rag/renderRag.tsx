/* Test-only: renders a RAG card against a RagBackend, and runs axe on what is on screen. */
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  kaitoApiRef,
  kaitoRagApiRef,
} from '@kaito-backstage/plugin-kaito-react';
import axe from 'axe-core';
import { ReactElement } from 'react';
import { RagBackend } from './ragBackend';

export const ragEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'team-docs',
    namespace: 'default',
    annotations: {
      'kaito.sh/ragengine': 'kaito-demo/team-docs',
      'kaito.sh/cluster': 'kaito-simulator',
    },
  },
  spec: { type: 'kaito-ragengine', owner: 'group:default/ml-platform' },
};

export async function renderRagCard(
  backend: RagBackend,
  card: ReactElement,
  entity: Entity = ragEntity,
) {
  const { kaitoApi, permissionApi } = await backend.start();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [kaitoRagApiRef, kaitoApi],
        [kaitoApiRef, kaitoApi],
        [permissionApiRef, permissionApi],
      ]}
    >
      <EntityProvider entity={entity}>{card}</EntityProvider>
    </TestApiProvider>,
  );
}

/** Serious and critical axe violations in the document (color contrast is not computed in jsdom). */
export async function seriousAxeViolations(): Promise<string[]> {
  const result = await axe.run(document.body, {
    rules: { 'color-contrast': { enabled: false } },
  });
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id}: ${v.nodes.map(n => n.html).join(' | ')}`);
}
