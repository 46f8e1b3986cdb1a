/**
 * Web library for the KAITO Backstage plugins: the API client over the `kaito-backend` routes
 * and the React hooks built on it.
 *
 * @packageDocumentation
 */
export * from './api';
export * from './api/chat';
export * from './hooks';
