/**
 * The checkpoint's capture of a block's state changes (block-capture.ts): a block of several
 * transactions is traced as one-transaction blocks and undone, which must give exactly what each
 * transaction changed in its block (what tracing it in place gives), and must be refused, falling
 * back to tracing in place, when a transaction sees its block's number.
 */
import { Transaction, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { replayAndCapture, SPLIT_FROM_TRANSACTIONS } from "../../src/chain/block-capture.js";
import { STATE_DIFF_TRACER } from "../../src/chain/checkpoint.js";
import type { Eip1193 } from "../../src/chain/rpc.js";
import { devKey, startLocalChain, type ChainRuntime } from "../../src/chain/runtime.js";
import type { ChainStateRepository } from "../../src/db/repositories/chain-state.js";

/** Stores calldata word 1 at the slot named by word 0 (and keeps the value sent). */
const STORE = "0x6008600c60003960086000f3" + "6020356000355500";
/** Stores block.number at slot 0. */
const NUMBER = "0x6005600c60003960056000f3" + "4360005500";

interface Block {
  number: string;
  stateRoot: string;
  timestamp: string;
  transactions: string[];
}

const word = (n: number) => n.toString(16).padStart(64, "0");
const spread = <T>(count: number, make: (i: number) => T): T[] => Array.from({ length: count }, (_, i) => make(i));
const call = (rpc: Eip1193, method: string, params: unknown[] = []) => rpc.request({ method, params });

/** The journal of `source` as the capture reads it: each block's time, root and raw transactions. */
class Journal {
  readonly blocks = new Map<number, { block: { number: number; hash: string; stateRoot: string; timestamp: number }; txs: { hash: string; raw: string }[] }>();
  journaledBlock(n: number) {
    return this.blocks.get(n)?.block;
  }
  transactions(n: number) {
    return this.blocks.get(n)?.txs ?? [];
  }
}

describe("capturing a block's state changes for the checkpoint", () => {
  let source: ChainRuntime;
  let replica: ChainRuntime;
  const journal = new Journal();
  const repo = journal as unknown as ChainStateRepository;
  const senders = [new Wallet(devKey(2)), new Wallet(devKey(3))];
  const nonces = [0, 0];
  let chainId: bigint;

  /** Mines `txs` (sender index, to, data, value) in one block of `source` and journals it. */
  async function block(txs: { from: number; to?: string; data: string; value?: bigint }[]): Promise<number> {
    const raws: string[] = [];
    for (const tx of txs) {
      const nonce = nonces[tx.from]++;
      const raw = await senders[tx.from].signTransaction({ type: 2, chainId, nonce, to: tx.to, data: tx.data, value: tx.value ?? 0n, gasLimit: 200_000, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 9n });
      raws.push(raw);
      await call(source.rpc, "eth_sendRawTransaction", [raw]);
    }
    await call(source.rpc, "evm_mine", []);
    const b = (await call(source.rpc, "eth_getBlockByNumber", ["latest", false])) as Block;
    const n = Number(b.number);
    journal.blocks.set(n, { block: { number: n, hash: "0x", stateRoot: b.stateRoot, timestamp: Number(b.timestamp) }, txs: raws.map((raw) => ({ hash: Transaction.from(raw).hash!, raw })) });
    return n;
  }

  /** What each transaction of block `n` changed, traced in place on the source chain. */
  const truth = async (n: number) => Promise.all(journal.transactions(n).map((tx) => call(source.rpc, "debug_traceTransaction", [tx.hash, STATE_DIFF_TRACER])));

  beforeAll(async () => {
    source = await startLocalChain(1_800_000_000);
    replica = await startLocalChain(1_800_000_000, undefined, undefined, undefined, true);
    chainId = source.chainId;
    for (const chain of [source, replica]) await call(chain.rpc, "evm_setAutomine", [false]);
  });
  afterAll(async () => {
    await source?.close();
    await replica?.close();
  });

  let store: string;
  let number: string;
  it("when a block's transactions build on each other, then its one-transaction blocks give what each changed in the block, and the replica holds the block", async () => {
    const deployed = await block([{ from: 0, data: STORE }, { from: 1, data: NUMBER }]);
    store = Transaction.from(journal.transactions(deployed)[0].raw).from!;
    const receipts = (await Promise.all(journal.transactions(deployed).map((tx) => call(source.rpc, "eth_getTransactionReceipt", [tx.hash])))) as { contractAddress: string }[];
    [store, number] = receipts.map((r) => r.contractAddress);
    // Two senders writing the same slots, one clearing a slot another set, value sent along.
    const n = await block([
      { from: 0, to: store, data: `0x${word(1)}${word(10)}`, value: 5n },
      { from: 1, to: store, data: `0x${word(1)}${word(11)}` },
      { from: 0, to: store, data: `0x${word(2)}${word(12)}`, value: 7n },
      { from: 1, to: store, data: `0x${word(1)}${word(0)}` },
      ...spread(SPLIT_FROM_TRANSACTIONS - 4, (i) => ({ from: i % 2, to: store, data: `0x${word(2 + (i % 3))}${word(20 + i)}` })),
    ]);
    expect((await replayAndCapture(replica.rpc, repo, deployed)).diffs).toEqual(await truth(deployed));
    const captured = await replayAndCapture(replica.rpc, repo, n);
    expect(captured.inPlace).toBe(false);
    expect(captured.diffs).toEqual(await truth(n));
    const head = (await call(replica.rpc, "eth_getBlockByNumber", ["latest", false])) as Block;
    expect({ number: Number(head.number), root: head.stateRoot, txs: head.transactions.length }).toEqual({ number: n, root: journal.journaledBlock(n)!.stateRoot, txs: SPLIT_FROM_TRANSACTIONS });
  });

  it("when a transaction reads its block's number, then the split does not end on the block's root and the block is traced in place, with the same changes", async () => {
    const n = await block(spread(SPLIT_FROM_TRANSACTIONS, (i) => (i % 2 === 0 ? { from: 0, to: store, data: `0x${word(3)}${word(i + 1)}` } : { from: 1, to: number, data: "0x" })));
    const captured = await replayAndCapture(replica.rpc, repo, n);
    expect(captured.inPlace).toBe(true);
    expect(captured.diffs).toEqual(await truth(n));
    const head = (await call(replica.rpc, "eth_getBlockByNumber", ["latest", false])) as Block;
    expect({ number: Number(head.number), root: head.stateRoot }).toEqual({ number: n, root: journal.journaledBlock(n)!.stateRoot });
  });

  it("when a journaled block does not match what the replica makes of it, then the capture throws, as a replay does", async () => {
    const n = await block(spread(SPLIT_FROM_TRANSACTIONS, (i) => ({ from: i % 2, to: store, data: `0x${word(4)}${word(i + 1)}` })));
    journal.blocks.get(n)!.block.stateRoot = `0x${"ab".repeat(32)}`;
    const refused = await replayAndCapture(replica.rpc, repo, n).then(() => undefined, (error: unknown) => error as Error);
    expect(refused?.message).toMatch(/diverged/);
  });
});
