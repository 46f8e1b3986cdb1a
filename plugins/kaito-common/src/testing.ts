/**
 * Test fixtures: Workspace statuses as each KAITO release writes them, with
 * one expected readiness verdict each. For tests only (the simulator's
 * contract test reads them); not part of the runtime API.
 *
 * @packageDocumentation
 */
export * from './readiness/fixtures';
export {
  RAG_READINESS_FIXTURES,
  type RagReadinessFixture,
  type RagExpectedVerdict,
} from './readiness/ragengine/fixtures';
