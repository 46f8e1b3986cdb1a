export { KaitoWorkspacesPage } from './WorkspacesPage';
