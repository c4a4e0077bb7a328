/**
 * Receipts and reverts as the simulator's sender reads them from a node (sim/chain.ts,
 * sim/pending-block.ts): the platform sender's own helpers.
 */
export { asRevert, receiptOf, revertData, type CallArgs, type RawReceipt } from "../server/src/public.js";
