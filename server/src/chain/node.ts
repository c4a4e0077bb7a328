/**
 * The platform's client of an external node (SCF_RPC_URL): a validator or member node of a shared
 * network, where the platform is one client among the institutions'. What it must never ask such a
 * node is refused here, in one place, before anything is sent: the node's own accounts
 * (eth_accounts, unlocked signing: the platform signs with its own keys) and development methods
 * (evm_*, hardhat_*, anvil_*...: they change a shared chain outside transactions, or expose a
 * development node's internals). Every request to the node, Ignition's deployment included (see
 * connectExternalChain), goes through this client.
 */
import { HttpRpc, RpcError } from "./rpc.js";

/** How the platform pays and waits on the node (SCF_GAS_PRICE, SCF_TX_TIMEOUT_MS). */
export interface NodeTerms {
  /** A fixed gas price in wei (max fee and tip alike); undefined: the node's own fees (see fees.ts). */
  gasPrice?: bigint;
  /** How long a sent transaction may wait for its block before the write fails. */
  txTimeoutMs: number;
}

/** How long a write waits for its transaction's block by default (SCF_TX_TIMEOUT_MS). */
export const DEFAULT_TX_TIMEOUT_MS = 60_000;

/** Methods that use the node's own accounts: keys the node holds, never the platform's. */
const NODE_ACCOUNTS = /^(eth_accounts|eth_coinbase|eth_sendTransaction|eth_sign|eth_signTransaction|eth_signTypedData.*|personal_.*)$/;

/** Namespaces of the standard reads and of signed transactions; tracing (to name a revert) besides. */
const STANDARD = /^(eth|net|web3)_/;
const TRACES = new Set(["debug_traceTransaction", "debug_traceCall"]);

/** JSON-RPC's "method not found": what a node without the method would answer. */
export const REFUSED_CODE = -32601;

/** Why `method` is never sent to an external node, or undefined when it may be. */
export function externalRefusal(method: string): string | undefined {
  if (NODE_ACCOUNTS.test(method)) {
    return `${method} is never sent to an external node: the platform signs with its own keys, never with the node's accounts`;
  }
  if (STANDARD.test(method) || TRACES.has(method)) return undefined;
  return `${method} is never sent to an external node: development methods (evm_*, hardhat_*, anvil_*...) would change a shared network outside transactions`;
}

/** An external node's JSON-RPC, refusing what the platform must never ask it (see externalRefusal). */
export class NodeRpc extends HttpRpc {
  constructor(
    url: string,
    readonly terms: NodeTerms,
  ) {
    super(url);
  }

  override request(args: { method: string; params?: unknown[] | object }): Promise<unknown> {
    const refused = externalRefusal(args.method);
    if (refused !== undefined) return Promise.reject(new RpcError(refused, REFUSED_CODE, undefined));
    return super.request(args);
  }
}
