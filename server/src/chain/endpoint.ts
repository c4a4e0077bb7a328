/**
 * The local chain's JSON-RPC endpoint, for the tools of the pilot's members (block explorers,
 * cast, scripts): off unless configured (SCF_CHAIN_RPC), read-only or read-write. It holds no
 * keys (no unlocked accounts, nothing signed for anyone), serves no development method (they
 * change the chain outside transactions, which the journal could not replay: chain time moves
 * with POST /api/chain/advance), takes only the transaction types the journal stores, and only
 * from programs: a request a browser page could make (any Origin, a body that is not JSON) is
 * refused, so no web page, of any port or host, can drive it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

import { hex, type Eip1193 } from "./rpc.js";
import { JOURNALED_TX_TYPES } from "./sync.js";

/** What the endpoint serves: reads only, or reads and signed transactions. */
export type EndpointMode = "read" | "write";

/** Reads: they leave the chain as it was and keep no state at the node (no filters). */
const READS = new Set([
  "eth_blockNumber", "eth_call", "eth_chainId", "eth_estimateGas", "eth_feeHistory", "eth_gasPrice", "eth_maxPriorityFeePerGas",
  "eth_getBalance", "eth_getBlockByHash", "eth_getBlockByNumber", "eth_getBlockTransactionCountByHash",
  "eth_getBlockTransactionCountByNumber", "eth_getCode", "eth_getLogs", "eth_getProof", "eth_getStorageAt",
  "eth_getTransactionByBlockHashAndIndex", "eth_getTransactionByBlockNumberAndIndex", "eth_getTransactionByHash",
  "eth_getTransactionCount", "eth_getTransactionReceipt", "eth_syncing", "eth_mining", "eth_coinbase", "eth_protocolVersion",
  "net_version", "net_listening", "net_peerCount", "web3_clientVersion", "web3_sha3",
  "debug_traceTransaction", "debug_traceCall",
]);

/** Largest request body taken (a batch of calls, or one transaction with its data). */
const MAX_BODY_BYTES = 1 << 20;
/** Most calls in one batch. */
const MAX_BATCH = 100;

const UNAVAILABLE = "is not available on the platform's chain endpoint";

/**
 * Why `method` is refused in `mode`, or undefined when it is served. Besides the reads: the
 * endpoint's own empty account list, and signed transactions in "write" mode.
 */
export function refusal(method: string, mode: EndpointMode): string | undefined {
  if (READS.has(method) || method === "eth_accounts") return undefined;
  if (method === "eth_sendRawTransaction") {
    return mode === "write" ? undefined : `${method} ${UNAVAILABLE}: it is read-only (SCF_CHAIN_RPC=read)`;
  }
  if (/^(eth_sign|eth_sendTransaction|personal_)/.test(method)) {
    return `${method} ${UNAVAILABLE}: it holds no keys (sign the transaction yourself${mode === "write" ? " and send it with eth_sendRawTransaction" : ""})`;
  }
  return `${method} ${UNAVAILABLE}: development methods change the chain outside transactions, which cannot be journaled (move chain time with POST /api/chain/advance)`;
}

/**
 * Why signed transaction `raw` cannot be taken, or undefined. Its type is its first byte (an
 * RLP list, 0xc0 and up, is a legacy transaction); anything the journal could not store would
 * stop the platform's sync.
 */
export function rawRefusal(raw: unknown): string | undefined {
  if (typeof raw !== "string" || !/^0x([0-9a-fA-F]{2})+$/.test(raw)) return "the transaction must be hex bytes";
  const first = parseInt(raw.slice(2, 4), 16);
  const type = first >= 0xc0 ? 0 : first;
  if (!JOURNALED_TX_TYPES.has(type)) {
    return `transactions of type ${type} ${UNAVAILABLE}: the platform's journal stores types ${[...JOURNALED_TX_TYPES].join(", ")} only`;
  }
  return undefined;
}

/** Why an HTTP request is refused before its body is read: a status and a message, or undefined. */
function httpRefusal(req: IncomingMessage): [number, string] | undefined {
  if (req.method !== "POST") return [405, "only POST is served"];
  // Browsers send an Origin with every POST (no-cors included) and Sec-Fetch-* with every request.
  if (req.headers.origin !== undefined || req.headers["sec-fetch-site"] !== undefined) {
    return [403, "requests from web pages are refused: the chain endpoint serves programs only"];
  }
  const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") return [415, "the body must be application/json"];
  if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) return [413, `the body may not exceed ${MAX_BODY_BYTES} bytes`];
  return undefined;
}

type Call = { id?: unknown; method?: unknown; params?: unknown };

function answer(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { "content-type": "application/json", "cache-control": "no-store" })
    .end(JSON.stringify(body, (_k, v: unknown) => (typeof v === "bigint" ? hex(v) : v)));
}

const failure = (id: unknown, code: number, message: string, data?: unknown) => ({ jsonrpc: "2.0", id: id ?? null, error: { code, message, data } });

/** Serves the chain's JSON-RPC on `host`:`port` in `mode`. */
export async function serveJsonRpc(rpc: Eip1193, host: string, port: number, mode: EndpointMode): Promise<Server> {
  const handle = async (call: Call) => {
    const id = call?.id;
    if (typeof call?.method !== "string") return failure(id, -32600, "invalid request: no method");
    const refused = refusal(call.method, mode);
    if (refused !== undefined) return failure(id, -32601, refused);
    const params = Array.isArray(call.params) ? call.params : [];
    if (call.method === "eth_accounts") return { jsonrpc: "2.0", id: id ?? null, result: [] };
    if (call.method === "eth_sendRawTransaction") {
      const bad = rawRefusal(params[0]);
      if (bad !== undefined) return failure(id, -32602, bad);
    }
    try {
      return { jsonrpc: "2.0", id: id ?? null, result: await rpc.request({ method: call.method, params }) };
    } catch (error) {
      const e = error as { code?: number; message?: string; data?: unknown };
      return failure(id, e.code ?? -32603, e.message ?? "error", e.data);
    }
  };
  const server = createServer((req, res) => {
    const refused = httpRefusal(req);
    if (refused !== undefined) {
      if (refused[0] === 405) res.setHeader("allow", "POST");
      answer(res, refused[0], failure(null, -32600, refused[1]));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
      else if (!res.headersSent) {
        // Answered, then the connection is closed: the rest of the body is never read.
        res.once("finish", () => req.socket.destroy());
        answer(res, 413, failure(null, -32600, `the body may not exceed ${MAX_BODY_BYTES} bytes`));
      }
    });
    req.on("end", () => {
      if (res.headersSent) return;
      void (async () => {
        let payload: unknown;
        try {
          payload = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          answer(res, 400, failure(null, -32700, "parse error"));
          return;
        }
        if (Array.isArray(payload)) {
          if (payload.length === 0 || payload.length > MAX_BATCH) {
            answer(res, 400, failure(null, -32600, `a batch holds 1 to ${MAX_BATCH} calls`));
            return;
          }
          answer(res, 200, await Promise.all(payload.map((c) => handle(c as Call))));
        } else answer(res, 200, await handle(payload as Call));
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
