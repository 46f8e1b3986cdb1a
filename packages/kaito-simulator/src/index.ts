/**
 * Local stand-in for AKS + KAITO + the inference server, for development,
 * tests and benchmarks. Never a product code path.
 *
 * @packageDocumentation
 */

export { startSimulator } from './simulator';
export type { RunningSimulator, SimulatorOptions } from './simulator';
export type { SimulatorFault } from './controller/faults';
export type { KaitoAdmissionMode } from './kube/admission';
export { SIMULATOR_FAULTS, FAULT_ANNOTATION } from './controller/faults';
export type { SimulatorTimings } from './controller/timings';
export { TEST_TIMINGS, DEMO_TIMINGS } from './controller/timings';
export { findPostgresBinDir, startPostgres } from './postgres';
export type { TestPostgres } from './postgres';
export * as testing from './testing';
