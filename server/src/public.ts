/**
 * What code outside the server (the simulator, scripts) may use of it besides platform.ts: the
 * actors' and errors' types, direct contract calls, small shared helpers, and the parts a sender
 * strategy (StartOptions.sender) is built from. Everything else under server/src is internal
 * (.dependency-cruiser.cjs enforces it for sim/).
 */
export { AppError } from "./errors.js";
export type { Actor } from "./services/context.js";
export { act, read, type ActResult } from "./services/actions.js";
export { csvCell } from "./services/audit.js";
export { demoInvoicePdf } from "./seed/pdf.js";
export { devKey } from "./chain/runtime.js";

// A sender strategy: the platform's sender to extend, the connection, the signer, receipts and reverts.
export { hex, RpcError, type Eip1193 } from "./chain/rpc.js";
export { asRevert, receiptOf, revertData, TxSender, type CallArgs, type ChainRevertError, type RawReceipt, type Receipt } from "./chain/sender.js";
export { signerOf, type SignedTx, type TxFields } from "./chain/signer.js";
