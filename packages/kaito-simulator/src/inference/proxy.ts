import type { IncomingMessage, ServerResponse } from 'node:http';
import { serviceUnavailable } from '../kube/errors';
import { PODS, SERVICES } from '../kube/resources';
import { sendError } from '../kube/respond';
import type { ServiceProxyHandler } from '../kube/router';
import type { ObjectStore } from '../kube/store';
import { isRecord } from '../kube/types';
import { WORKSPACE_LABEL } from '../controller/objects';
import { InferenceRegistry } from './registry';
import { RAGENGINE_LABEL, ragEndpoint } from '../rag/proxy';
import type { RagRegistry } from '../rag/registry';

/**
 * The API server's service proxy, wired to the simulated pods: it resolves
 * the Service and port like kube-proxy would, then hands the request to the
 * workspace's inference server with the failures a real cluster shows.
 */
export function serviceProxy(
  store: ObjectStore,
  inference: InferenceRegistry,
  rag?: RagRegistry,
): ServiceProxyHandler {
  return (target, req: IncomingMessage, res: ServerResponse) => {
    try {
      const svc = store.peek(SERVICES, target.namespace, target.service)!;
      const spec = isRecord(svc.spec) ? svc.spec : {};
      const ports = Array.isArray(spec.ports)
        ? (spec.ports as Array<Record<string, unknown>>)
        : [];
      const port = target.port
        ? ports.find(
            p => p.name === target.port || String(p.port) === target.port,
          )
        : ports[0];
      const shown = target.port
        ? `${target.service}:${target.port}`
        : target.service;
      if (!port)
        throw serviceUnavailable(
          `no endpoints available for service "${shown}"`,
        );
      const selector = isRecord(spec.selector)
        ? (spec.selector as Record<string, string>)
        : {};
      const engine = selector[RAGENGINE_LABEL];
      if (engine && rag) {
        const targetPort = Number(port.targetPort ?? port.port);
        ragEndpoint(
          store,
          rag,
          target.namespace,
          engine,
          targetPort,
          shown,
        ).handle(req, res, target.path);
        return;
      }
      const workspace = selector[WORKSPACE_LABEL];
      const podName = selector['statefulset.kubernetes.io/pod-name'];
      const backend = workspace
        ? inference.get(target.namespace, workspace)
        : undefined;
      const pod = podName
        ? store.peek(PODS, target.namespace, podName)
        : store
            .list(PODS, target.namespace)
            .find(p => p.metadata.labels?.[WORKSPACE_LABEL] === workspace);
      if (!backend || !pod)
        throw serviceUnavailable(
          `no endpoints available for service "${shown}"`,
        );
      const podIP = String(
        (pod.status as Record<string, unknown> | undefined)?.podIP ??
          '10.244.0.1',
      );
      const targetPort = Number(port.targetPort ?? port.port);
      if (backend.phase === 'down' || targetPort !== 5000) {
        throw serviceUnavailable(
          `error trying to reach service: dial tcp ${podIP}:${targetPort}: connect: connection refused`,
        );
      }
      backend.handle(req, res, target.path);
    } catch (e) {
      req.resume();
      sendError(res, e);
    }
  };
}
