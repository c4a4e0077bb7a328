/**
 * Transaction receipts as the platform uses them and as JSON-RPC gives them: shared by the block
 * maker (blocks.ts) and the sender (sender.ts), so that neither imports the other for them.
 */

export interface Receipt {
  transactionHash: string;
  blockNumber: number;
  /** The transaction's position in its block. */
  transactionIndex: number;
  status: number;
  logs: { address: string; topics: string[]; data: string; blockNumber: string; logIndex: string; transactionHash: string }[];
}

/** A receipt as JSON-RPC gives it. */
export interface RawReceipt extends Omit<Receipt, "blockNumber" | "transactionIndex" | "status"> {
  blockNumber: string;
  transactionIndex: string;
  status: string;
}

export function receiptOf(raw: RawReceipt): Receipt {
  return {
    transactionHash: raw.transactionHash,
    blockNumber: Number(raw.blockNumber),
    transactionIndex: Number(raw.transactionIndex),
    status: Number(raw.status),
    logs: raw.logs,
  };
}
