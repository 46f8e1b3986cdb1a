/**
 * The one verdict per Workspace, by concern: the facts it reads (facts.ts), failures and retries
 * (failure.ts), the inference lifecycle (inference.ts) and the tuning lifecycle (tuning.ts).
 */
export { nodesText, type Facts, type Verdict } from './facts';
export { EARLY_RESTARTS } from './failure';
export { inferenceVerdict, progress } from './inference';
export { tuningVerdict } from './tuning';
