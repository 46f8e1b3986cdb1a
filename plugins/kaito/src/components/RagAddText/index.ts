export { RagAddTextDialog } from './RagAddTextDialog';
