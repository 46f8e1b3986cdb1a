export { RagUploadArea, RAG_ACCEPT } from './RagUploadArea';
