/** Receipts and reverts as the simulator's sender reads them from a node (sim/chain.ts, sim/pending-block.ts). */
import { decodeRevert } from "../server/src/chain/contracts.js";
import { RpcError } from "../server/src/chain/rpc.js";
import { ChainRevertError, type Receipt } from "../server/src/chain/sender.js";

/** A call's fields as JSON-RPC takes them. */
export type CallArgs = { from: string; to: string; data: string; value: string };

export interface RawReceipt {
  transactionHash: string;
  transactionIndex: string;
  blockNumber: string;
  status: string;
  gasUsed: string;
  logs: Receipt["logs"];
}

export function receiptOf(raw: RawReceipt): Receipt {
  return { transactionHash: raw.transactionHash, blockNumber: Number(raw.blockNumber), status: Number(raw.status), gasUsed: BigInt(raw.gasUsed), logs: raw.logs };
}

/** The revert data an RPC error carries, if any. */
export function revertData(error: unknown): string | undefined {
  const data = (error as { data?: unknown }).data;
  if (typeof data === "string") return data;
  if (typeof data === "object" && data !== null && typeof (data as { data?: unknown }).data === "string") return (data as { data: string }).data;
  return undefined;
}

/** An RPC error as the platform's {ChainRevertError} when it carries revert data; else as is. */
export function asRevert(error: unknown): Error {
  const data = revertData(error);
  if (data !== undefined && data.startsWith("0x")) return new ChainRevertError(decodeRevert(data), data);
  if (error instanceof RpcError || error instanceof Error) return error;
  return new Error(String(error));
}
