/**
 * @jest-environment node
 */
import { ResponseError } from '@backstage/errors';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KaitoCatalogClient } from './catalog';

describe('KaitoCatalogClient', () => {
  let server: http.Server;
  let base: string;
  const seen: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization}`);
      if (req.url?.startsWith('/api/kaito/catalog/instance-types?model=')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ model: 'm', cheapest: 'X', items: [] }));
        return;
      }
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            name: 'InputError',
            message: "Query parameter 'model' is required",
          },
          response: { statusCode: 400 },
        }),
      );
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/kaito`;
  });
  afterAll(() => new Promise(r => server.close(r)));

  const client = () =>
    new KaitoCatalogClient({
      discoveryApi: { getBaseUrl: async () => base },
      fetchApi: {
        fetch: (url: any, init?: any) =>
          fetch(url, {
            ...init,
            headers: { authorization: 'Bearer user-token' },
          }),
      },
    });

  it('sends model, region and count with the caller credentials', async () => {
    const answer = await client().listInstanceTypes({
      model: 'meta-llama/Llama-3.3-70B-Instruct',
      region: 'eastus',
      count: 2,
    });
    expect(answer.cheapest).toBe('X');
    expect(seen.pop()).toBe(
      '/api/kaito/catalog/instance-types?model=meta-llama%2FLlama-3.3-70B-Instruct&region=eastus&count=2 Bearer user-token',
    );
  });

  it("raises the backend's message", async () => {
    const error = await client()
      .listModels()
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error.message).toMatch(/'model' is required/);
  });
});
