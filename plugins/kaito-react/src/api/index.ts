export { kaitoApiRef } from './KaitoApi';
export type { KaitoApi } from './KaitoApi';
