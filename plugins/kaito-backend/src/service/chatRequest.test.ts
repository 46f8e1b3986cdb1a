import { KaitoHttpError } from './errors';
import { DEFAULT_LIMITS } from './limits';
import { parseChatRequest } from './chatRequest';

describe('parseChatRequest', () => {
  it('says why a body is not JSON without quoting the body back', () => {
    const body = Buffer.from(
      '{"messages":[{"role":"user","content":"my key is sk-live-0123456789"}], oops}',
    );
    let error: unknown;
    try {
      parseChatRequest(body, 'application/json', DEFAULT_LIMITS);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KaitoHttpError);
    const { status, code, message } = error as KaitoHttpError;
    expect({ status, code }).toEqual({ status: 400, code: 'invalid_json' });
    expect(message).toMatch(/^The request body is not valid JSON: \S/);
    expect(message).not.toMatch(/sk-live|my key|messages/);
  });
});
