export { kaitoRagApiRef } from './KaitoRagApi';
export type { KaitoRagApi } from './KaitoRagApi';
export { ragErrorMessage, ragErrorStatus } from './ragErrors';
