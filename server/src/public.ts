/**
 * What code outside the server (the simulator, scripts) may use of it besides platform.ts: the
 * actors' and errors' types, small shared helpers, and the parts a sender strategy
 * (StartOptions.sender) is built from. Everything else under server/src is internal
 * (.dependency-cruiser.cjs enforces it for sim/). A started platform is used through its
 * `Platform` members: services, totals, addresses, syncTo, act and read; its `ctx` is internal.
 */
export { AppError } from "./errors.js";
export type { Actor } from "./services/context.js";
export type { ActResult } from "./services/actions.js";
export { csvCell } from "./services/audit.js";
export { demoInvoicePdf } from "./seed/pdf.js";
export { devKey } from "./chain/runtime.js";

// A sender strategy: the platform's sender to extend, the connection, the signer, receipts and reverts.
export { blockByTag, hex, RpcError, type Eip1193, type RpcBlock } from "./chain/rpc.js";
export { asRevert, receiptOf, revertData, TxSender, type CallArgs, type ChainRevertError, type RawReceipt, type Receipt } from "./chain/sender.js";
export { signerOf, type SignedTx, type TxFields } from "./chain/signer.js";
