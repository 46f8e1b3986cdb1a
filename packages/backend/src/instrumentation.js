/*
 * OpenTelemetry for the backend, loaded before it starts (see README "Metrics"):
 *   yarn start            -> backstage-cli package start --require ./src/instrumentation.js
 *   production            -> node --require ./packages/backend/src/instrumentation.js packages/backend
 * Backstage plugins record metrics through the OpenTelemetry API; this installs
 * the SDK that collects them and the Prometheus exporter that serves them.
 */
const { isMainThread } = require('node:worker_threads');

// Once per process, not again in worker threads.
if (isMainThread) {
  const {
    readExporterSettings,
    startMetricsExporter,
  } = require('./metricsExporter');
  const settings = readExporterSettings();
  if (settings.enabled) {
    startMetricsExporter(settings).then(({ port }) => {
      if (port !== undefined) {
        // eslint-disable-next-line no-console
        console.log(
          `metrics: Prometheus endpoint at http://${
            settings.host ?? 'localhost'
          }:${port}/metrics`,
        );
      }
    });
  }
}
