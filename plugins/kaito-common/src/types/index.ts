export * from './kube';
export * from './workspace';
export * from './ragengine';
export * from './inferenceset';
export * from './chat';
export * from './snapshot';
export * from './conversation';
export * from './load';
