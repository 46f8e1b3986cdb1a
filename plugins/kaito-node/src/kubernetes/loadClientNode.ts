/**
 * Loads `@kubernetes/client-node` (ESM-only since 1.0) from CommonJS, the way
 * Backstage's kubernetes-backend does: with a real dynamic `import()`.
 */
export type ClientNodeModule = typeof import('@kubernetes/client-node');

let loading: Promise<ClientNodeModule> | undefined;

export function loadClientNode(): Promise<ClientNodeModule> {
  if (!loading) {
    loading = importClientNode();
  }
  return loading;
}

async function importClientNode(): Promise<ClientNodeModule> {
  try {
    return await import('@kubernetes/client-node');
  } catch (error) {
    // Jest runs CommonJS tests in a VM without a dynamic-import callback
    // unless started with --experimental-vm-modules. There, and only there,
    // fall back to require(): Jest transpiles the ESM package on the fly.
    if (
      (error as { code?: string }).code ===
      'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG'
    ) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require('@kubernetes/client-node');
    }
    throw error;
  }
}
