/* eslint-disable no-console */
import { driftedFiles, writeGeneratedFiles } from './generate';

// `generate` rewrites the generated parts of the templates; `generate --check`
// only reports drift (exit 1), as the test does.
if (process.argv.includes('--check')) {
  const drifted = driftedFiles();
  if (drifted.length > 0) {
    console.error(
      `Out of date (run: yarn workspace @kaito-backstage/kaito-templates generate):\n  ${drifted.join(
        '\n  ',
      )}`,
    );
    process.exit(1);
  }
  console.log('templates are up to date');
} else {
  const changed = writeGeneratedFiles();
  console.log(
    changed.length
      ? `updated:\n  ${changed.join('\n  ')}`
      : 'nothing to update',
  );
}
