/*
 * The portal's Prometheus endpoint: an OpenTelemetry NodeSDK whose only metric
 * reader is the Prometheus exporter, served on its own port (not the backend's).
 * Loaded by instrumentation.js before the backend starts; tests call
 * startMetricsExporter directly with port 0.
 */
const http = require('node:http');
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { PrometheusExporter } = require('@opentelemetry/exporter-prometheus');

const DEFAULT_PORT = 9464;

/**
 * Reads the standard OpenTelemetry variables:
 * OTEL_METRICS_EXPORTER (`prometheus` by default; `none` turns the endpoint off),
 * OTEL_EXPORTER_PROMETHEUS_PORT (default 9464; 0 picks a free port) and
 * OTEL_EXPORTER_PROMETHEUS_HOST (default all interfaces).
 */
function readExporterSettings(env = process.env) {
  const exporters = (env.OTEL_METRICS_EXPORTER ?? 'prometheus')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
  const enabled = !exporters.includes('none');
  const rawPort = env.OTEL_EXPORTER_PROMETHEUS_PORT;
  const port =
    rawPort === undefined || rawPort === '' ? DEFAULT_PORT : Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(
      `OTEL_EXPORTER_PROMETHEUS_PORT must be a port number (0-65535), got '${rawPort}'`,
    );
  }
  return {
    enabled,
    port,
    host: env.OTEL_EXPORTER_PROMETHEUS_HOST || undefined,
  };
}

/**
 * Starts the SDK and the `/metrics` server. A port that is already taken is
 * logged and skipped: the backend still starts, only without the endpoint.
 * Resolves to `{ sdk, port, stop }`; `port` is undefined when nothing listens.
 */
async function startMetricsExporter(options = {}) {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const sdk = new NodeSDK({
    serviceName: options.serviceName ?? 'backstage-kaito',
    // No host or process detection: target_info would carry the command line.
    autoDetectResources: false,
    metricReaders: [exporter],
    // Metrics only, unless traces or logs are asked for by the standard variables.
    ...(process.env.OTEL_TRACES_EXPORTER ? {} : { spanProcessors: [] }),
    ...(process.env.OTEL_LOGS_EXPORTER ? {} : { logRecordProcessors: [] }),
  });
  sdk.start();

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      exporter.getMetricsRequestHandler(req, res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not found: the metrics are at /metrics\n');
  });
  const port = await new Promise(resolve => {
    server.once('error', error => {
      // eslint-disable-next-line no-console
      console.warn(
        `metrics: not serving Prometheus metrics on port ${options.port}: ${error.message}`,
      );
      resolve(undefined);
    });
    server.listen(options.port ?? DEFAULT_PORT, options.host, () =>
      resolve(server.address().port),
    );
  });
  if (port !== undefined) server.unref();

  const stop = async () => {
    if (port !== undefined)
      await new Promise(resolve => server.close(() => resolve()));
    await sdk.shutdown();
  };
  return { sdk, port, stop };
}

module.exports = { DEFAULT_PORT, readExporterSettings, startMetricsExporter };
