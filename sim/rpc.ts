/**
 * JSON-RPC over one kept-alive HTTP connection (node:http), for the simulator's sender when the
 * chain is an anvil node: about three times less overhead per call than `fetch`, which matters at
 * four calls per simulated action. Errors are the platform's {RpcError} (message, code, data), so
 * reverts decode exactly as with the platform's own client.
 */
import http from "node:http";

import { RpcError, type Eip1193 } from "../server/src/public.js";

export class KeepAliveRpc implements Eip1193 {
  readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  readonly #url: URL;
  #id = 0;

  constructor(url: string) {
    this.#url = new URL(url);
  }

  request({ method, params = [] }: { method: string; params?: unknown[] | object }): Promise<unknown> {
    const body = JSON.stringify({ jsonrpc: "2.0", id: ++this.#id, method, params }, (_k, v: unknown) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v));
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: this.#url.hostname,
          port: this.#url.port,
          path: this.#url.pathname,
          method: "POST",
          agent: this.#agent,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            if (res.statusCode !== 200) return reject(new RpcError(`${method}: HTTP ${res.statusCode} from ${this.#url.href}`, undefined, undefined));
            try {
              const reply = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { result?: unknown; error?: { message: string; code?: number; data?: unknown } };
              if (reply.error !== undefined) reject(new RpcError(reply.error.message, reply.error.code, reply.error.data));
              else resolve(reply.result);
            } catch (error) {
              reject(error instanceof Error ? error : new Error(String(error)));
            }
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
