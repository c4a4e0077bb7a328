/**
 * The smallest EIP-1193 surface the platform needs, and a JSON-RPC-over-HTTP client for external
 * nodes (keep-alive, no polling). The local chain's in-process provider already has `request`.
 */
export interface Eip1193 {
  request(args: { method: string; params?: unknown[] | object }): Promise<unknown>;
}

export class RpcError extends Error {
  constructor(
    message: string,
    readonly code: number | undefined,
    readonly data: unknown,
  ) {
    super(message);
    this.name = "RpcError";
  }
}

export class HttpRpc implements Eip1193 {
  #id = 0;
  constructor(readonly url: string) {}

  async request({ method, params = [] }: { method: string; params?: unknown[] | object }): Promise<unknown> {
    const response = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++this.#id, method, params }),
    });
    if (!response.ok) throw new RpcError(`${method}: HTTP ${response.status} from ${this.url}`, undefined, undefined);
    const body = (await response.json()) as { result?: unknown; error?: { message: string; code?: number; data?: unknown } };
    if (body.error !== undefined) throw new RpcError(body.error.message, body.error.code, body.error.data);
    return body.result;
  }
}

/** Hex quantity for JSON-RPC. */
export const hex = (n: number | bigint) => `0x${n.toString(16)}`;

/** A block as eth_getBlockByNumber gives it without its transactions' bodies (the fields the platform reads). */
export interface RpcBlock {
  number: string;
  hash: string;
  stateRoot: string;
  timestamp: string;
  baseFeePerGas?: string;
  /** Absent on the blocks the platform makes up from a receipt (blocks.ts MinedBlock). */
  gasLimit?: string;
  transactions: string[];
}

/** Block `tag` (a number, "latest" or "pending"), transactions as hashes; null when the chain has no such block. */
export function blockByTag(rpc: Eip1193, tag: number | string): Promise<RpcBlock | null> {
  return rpc.request({ method: "eth_getBlockByNumber", params: [typeof tag === "number" ? hex(tag) : tag, false] }) as Promise<RpcBlock | null>;
}

/** Mines a journaled block again on a chain with automine off: its transactions in order, at its time. */
export async function mineAgain(rpc: Eip1193, raws: Iterable<string>, timestamp: number): Promise<void> {
  for (const raw of raws) await rpc.request({ method: "eth_sendRawTransaction", params: [raw] });
  await rpc.request({ method: "evm_mine", params: [timestamp] });
}
