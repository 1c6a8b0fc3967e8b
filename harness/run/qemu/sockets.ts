import { createServer, type Server, type Socket } from 'node:net';

/**
 * A unix socket that QEMU connects to as a client. The harness listens before QEMU starts,
 * so there is no window where QEMU waits for the harness or the harness polls for a path.
 */
export class SocketEndpoint {
  private server: Server;
  private accepted: Promise<Socket>;
  private socket: Socket | undefined;

  private constructor(server: Server) {
    this.server = server;
    this.accepted = new Promise((resolve) => {
      server.once('connection', (s) => {
        this.socket = s;
        // One client only; a second connection means something else found the socket.
        server.close();
        resolve(s);
      });
    });
  }

  static async listen(path: string): Promise<SocketEndpoint> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    return new SocketEndpoint(server);
  }

  connection(): Promise<Socket> {
    return this.accepted;
  }

  close(): void {
    this.server.close();
    this.socket?.destroy();
  }
}
