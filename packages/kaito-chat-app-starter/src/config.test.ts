import { ChatService } from './chat';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('reads an OpenAI-compatible target with defaults', () => {
    const c = loadConfig({ OPENAI_BASE_URL: 'http://phi.default.svc/v1/' });
    expect(c).toMatchObject({
      provider: 'openai',
      baseURL: 'http://phi.default.svc/v1',
      apiKey: 'not-needed',
      maxTokens: 1024,
      port: 8080,
    });
    expect(new ChatService(c).baseURL).toBe('http://phi.default.svc/v1');
  });

  it('reads an Azure OpenAI target', () => {
    const c = loadConfig({
      CHAT_PROVIDER: 'azure',
      AZURE_OPENAI_ENDPOINT: 'https://res.openai.azure.com',
      AZURE_OPENAI_DEPLOYMENT: 'gpt-4o-mini',
      AZURE_OPENAI_API_KEY: 'k',
    });
    expect(c.model).toBe('gpt-4o-mini');
    expect(new ChatService(c).baseURL).toBe(
      'https://res.openai.azure.com/openai',
    );
  });

  it.each([
    [{}, 'OPENAI_BASE_URL'],
    [{ OPENAI_BASE_URL: 'ftp://x' }, 'OPENAI_BASE_URL'],
    [{ CHAT_PROVIDER: 'bedrock' }, 'CHAT_PROVIDER'],
    [{ CHAT_PROVIDER: 'azure' }, 'AZURE_OPENAI_ENDPOINT'],
    [
      { CHAT_PROVIDER: 'azure', AZURE_OPENAI_ENDPOINT: 'https://r' },
      'AZURE_OPENAI_DEPLOYMENT',
    ],
    [
      {
        CHAT_PROVIDER: 'azure',
        AZURE_OPENAI_ENDPOINT: 'https://r',
        AZURE_OPENAI_DEPLOYMENT: 'd',
      },
      'AZURE_OPENAI_API_KEY',
    ],
    [{ OPENAI_BASE_URL: 'http://x', TEMPERATURE: '3' }, 'TEMPERATURE'],
    [{ OPENAI_BASE_URL: 'http://x', MAX_TOKENS: '1.5' }, 'MAX_TOKENS'],
    [{ OPENAI_BASE_URL: 'http://x', PORT: 'eighty' }, 'PORT'],
  ])('rejects %j naming %s', (env, variable) => {
    let error: unknown;
    try {
      loadConfig(env as Record<string, string>);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as Error).message.startsWith(`${variable}: `)).toBe(true);
  });
});
