export { RagTechDocsButton } from './RagTechDocsButton';
