import { Response } from 'express';

/**
 * `no-transform` keeps Backstage's compression middleware from gzip-buffering
 * the stream; `X-Accel-Buffering: no` does the same for nginx-style proxies
 * in front of Backstage.
 */
const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
};

/** Starts an SSE response; callers write their first event right away and the headers leave with it. */
export function startSse(res: Response, status = 200) {
  res.writeHead(status, SSE_HEADERS);
  // Small writes must leave at once, not wait for Nagle.
  res.socket?.setNoDelay(true);
}
