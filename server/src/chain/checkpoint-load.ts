/**
 * Loading a checkpoint (checkpoint.ts) into a fresh in-process chain. EDR takes a genesis state
 * (accounts with balance, nonce, code and storage) but no JSON-RPC call sets many slots at speed
 * (hardhat_setStorageAt recomputes the state root at every call), and Hardhat passes only funded
 * accounts through. So, while the chain is created, the genesis state Hardhat hands to EDR gets
 * the checkpoint's accounts on top (see withGenesisState). The chain then goes on to the
 * checkpoint's block number: empty blocks reserved at once (hardhat_mine), the last one mined at
 * the checkpoint block's own time and base fee. Their hashes are not the journal's (a chain cannot be given its
 * parent's hash); the journal keeps the real ones, and the chain's blocks before the checkpoint
 * carry no transactions.
 */
import { EdrContext } from "@nomicfoundation/edr";

import type { Checkpoint } from "./checkpoint.js";
import { hex, type Eip1193 } from "./rpc.js";

/** A checkpoint's state root did not come out of the chain it was loaded into. */
export class CheckpointRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckpointRejected";
  }
}

type AccountOverride = { address: Uint8Array; balance?: bigint; nonce?: bigint; code?: Uint8Array; storage?: { index: bigint; value: bigint }[] };

const bytes = (h: string) => Uint8Array.from(Buffer.from(h.startsWith("0x") ? h.slice(2) : h, "hex"));
const hexOf = (b: Uint8Array) => `0x${Buffer.from(b).toString("hex")}`;

/**
 * Runs `create` (which creates the chain through Hardhat) with the checkpoint's accounts added to
 * the genesis state of the chain it creates (an account of both: the checkpoint's wins).
 */
export async function withGenesisState<T>(checkpoint: Checkpoint, create: () => Promise<T>): Promise<T> {
  type Create = (this: unknown, chainType: unknown, config: { genesisState: AccountOverride[] }, ...rest: unknown[]) => Promise<unknown>;
  const proto = EdrContext.prototype as unknown as { createProvider: Create };
  const original = proto.createProvider;
  let used = false;
  proto.createProvider = function (this: unknown, chainType: unknown, config: { genesisState: AccountOverride[] }, ...rest: unknown[]) {
    used = true;
    const state = new Map(config.genesisState.map((a) => [hexOf(a.address), a]));
    for (const a of checkpoint.accounts) {
      state.set(a.address.toLowerCase(), { address: bytes(a.address), balance: a.balance, nonce: a.nonce, code: bytes(a.code), storage: a.storage });
    }
    return original.call(this, chainType, { ...config, genesisState: [...state.values()] }, ...rest);
  };
  try {
    const created = await create();
    if (!used) throw new Error("the chain was created without a genesis state to load the checkpoint into");
    return created;
  } finally {
    proto.createProvider = original;
  }
}

/**
 * Brings a chain created by {withGenesisState} (genesis time before `checkpoint`'s block by at
 * least its number of seconds) to the checkpoint's block: its number, its time, its state root,
 * and the base fee of the block after it. Throws {CheckpointRejected} when the roots differ.
 */
export async function continueAtCheckpoint(rpc: Eip1193, checkpoint: Checkpoint): Promise<void> {
  const { block, timestamp, stateRoot, baseFee, nextBaseFee } = checkpoint.header;
  if (block > 1) {
    // Blocks 1..block-1, one second apart, ending before the checkpoint block's time.
    await rpc.request({ method: "evm_setNextBlockTimestamp", params: [timestamp - (block - 1)] });
    await rpc.request({ method: "hardhat_mine", params: [hex(block - 1), "0x1"] });
  }
  await rpc.request({ method: "hardhat_setNextBlockBaseFeePerGas", params: [baseFee] });
  await rpc.request({ method: "evm_mine", params: [timestamp] });
  const head = (await rpc.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { number: string; stateRoot: string };
  if (Number(head.number) !== block) throw new CheckpointRejected(`the loaded chain is at block ${Number(head.number)}, the checkpoint at ${block}`);
  if (head.stateRoot !== stateRoot) {
    throw new CheckpointRejected(`the loaded state's root ${head.stateRoot} is not block ${block}'s ${stateRoot}`);
  }
  await rpc.request({ method: "hardhat_setNextBlockBaseFeePerGas", params: [nextBaseFee] });
}

/** The genesis time of a chain that will continue at `checkpoint` (see continueAtCheckpoint). */
export function genesisTimeFor(checkpoint: Checkpoint): number {
  return checkpoint.header.timestamp - checkpoint.header.block - 1;
}
