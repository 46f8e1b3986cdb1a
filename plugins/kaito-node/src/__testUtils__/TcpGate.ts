import net from 'node:net';

/**
 * A TCP forwarder in front of a server that a test can close like a network
 * partition: `cut()` drops every connection and refuses new ones until `heal()`.
 */
export class TcpGate {
  #server = net.createServer(socket => this.#accept(socket));
  #open = new Set<net.Socket>();
  #cut = false;
  connections = 0;

  private constructor(private readonly target: URL) {}

  static async start(targetUrl: string): Promise<TcpGate & { url: string }> {
    const gate = new TcpGate(new URL(targetUrl));
    await new Promise<void>(r =>
      gate.#server.listen(0, '127.0.0.1', () => r()),
    );
    const { port } = gate.#server.address() as net.AddressInfo;
    return Object.assign(gate, { url: `http://127.0.0.1:${port}` });
  }

  #accept(socket: net.Socket) {
    if (this.#cut) {
      socket.destroy();
      return;
    }
    this.connections++;
    const upstream = net.connect(
      Number(this.target.port),
      this.target.hostname,
    );
    this.#open.add(socket).add(upstream);
    const close = () => {
      socket.destroy();
      upstream.destroy();
      this.#open.delete(socket);
      this.#open.delete(upstream);
    };
    socket.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    socket.pipe(upstream).pipe(socket);
  }

  cut() {
    this.#cut = true;
    for (const s of this.#open) s.destroy();
    this.#open.clear();
  }

  heal() {
    this.#cut = false;
  }

  async stop() {
    this.cut();
    await new Promise(r => this.#server.close(r));
  }
}
