import { registerChatAction } from './chat';
import { KaitoActionDeps } from './deps';
import { registerGetWorkspaceStatusAction } from './getWorkspaceStatus';
import { registerIndexTechDocsAction } from './indexTechDocs';
import { registerListModelsAction } from './listModels';
import { registerListWorkspacesAction } from './listWorkspaces';
import { registerRecommendInstanceTypesAction } from './recommendInstanceTypes';

export type { KaitoActionDeps } from './deps';

/** Registers the KAITO actions with the Actions Registry (MCP tools). */
export function registerKaitoActions(deps: KaitoActionDeps) {
  registerListWorkspacesAction(deps);
  registerGetWorkspaceStatusAction(deps);
  registerRecommendInstanceTypesAction(deps);
  registerChatAction(deps);
  registerListModelsAction(deps);
  registerIndexTechDocsAction(deps);
}
