/**
 * Block production for the local chain: automining, in batches, with checked sends.
 *
 * To everyone who uses the chain (the platform's sender, the JSON-RPC endpoint, scripts, tests)
 * the chain behaves as an automining development node: a transaction sent is mined by the time the
 * send returns. But the node itself does not automine: sends that arrive together (the requests of
 * many users at once) wait for one block, made as soon as the event loop has let every concurrent
 * sender hand over its transaction. An idle platform still makes one block per transaction, with
 * no added delay; under load a block carries many. Per block, the chain computes one state root
 * and keeps one state in memory, and the platform journals and indexes it in one pass: measured on
 * this chain, 100 transfers per block keep about 5 times less memory than 100 blocks of one.
 *
 * Checked sends ({sendChecked}, the platform's own transactions) need no preflight: the block that
 * carries them is mined on a snapshot of the chain, and when one of them reverted, the block is
 * undone, the reverted transactions are dropped from the pool, each with the error it reverted
 * with, and the block is mined again without them. A refusal so leaves nothing on chain (no block,
 * no nonce, no gas spent), as a preflight would, but the chain runs each transaction once instead
 * of twice when nothing is refused (the snapshots of settled blocks are released: see
 * snapshots.ts). A block is made alone: no other request reaches the node from the moment its
 * transactions are in the pool until it is checked, so nobody ever sees (or journals) a block
 * that is then undone, and nothing sent meanwhile is lost when it is.
 *
 * Under load a block takes at most half as many checked sends as there are accounts sending
 * (see BlockPacer): blocks are made two at a time in step, one mined while the other's answers go
 * out and its next requests come in. For that, a block must not wait for the server's thread: it
 * starts as soon as its share is in the pool, mines on the snapshot taken with the reads of the
 * block before (no round trip first; see #prepared), and its senders hear of it only after the
 * sends that waited for it have reached the node.
 */
import { BlockPacer } from "./pacing.js";
import { DroppedTransaction, traceRevertData } from "./reverts.js";
import type { RawReceipt } from "./receipts.js";
import type { Eip1193 } from "./rpc.js";
import type { Takeover } from "./rebase.js";
import { moveBlockMaking, WriteGate, type BlockMaking, type MoveOutcome } from "./block-move.js";
import { KEEPS_SNAPSHOT, Snapshots } from "./snapshots.js";

export { DroppedTransaction, traceRevertData } from "./reverts.js";

const SENDS = new Set(["eth_sendRawTransaction", "eth_sendTransaction"]);

/** Requests that go on while a rebase holds new blocks (with every eth_get*): they change nothing. */
const READS = new Set([...KEEPS_SNAPSHOT].filter((method) => !SENDS.has(method)));

/** Receipts fetched here to check inclusion, kept for the sender's own request (bounded). */
const MAX_KEPT_RECEIPTS = 1_000;

/** Blocks made here, kept with their logs until the sync takes them (bounded). */
const MAX_KEPT_BLOCKS = 64;

/**
 * Snapshots of settled blocks kept before they are released (see snapshots.ts): a release costs
 * two requests (the release, and the next block's snapshot taken again), so it is done once for
 * this many blocks rather than after each.
 */
export const RELEASE_SNAPSHOTS_AFTER = 16;

/** A block as eth_getBlockByNumber gives it without full transactions, and its logs (eth_getLogs). */
export interface MinedBlock {
  block: { number: string; hash: string; stateRoot: string; timestamp: string; transactions: string[] };
  logs: { address: string; topics: string[]; data: string; blockNumber: string; logIndex: string; transactionHash: string }[];
}

/** A transaction in the node's pool, waiting for a block. */
interface Waiting {
  hash: string;
  checked: boolean;
  /** The signed transaction, when it was sent signed (eth_sendRawTransaction). */
  raw: string | undefined;
  /** With its receipt, or null when it cannot be mined (see #makeBlock). */
  resolve(receipt: RawReceipt | null): void;
  reject(error: unknown): void;
}

type Args = { method: string; params?: unknown[] | object };

export class BatchingChain implements Eip1193 {
  /** True once {start} has run: the node's automine is off and sends are mined in batches. */
  #started = false;
  /** Whether sends are mined before they return (evm_setAutomine through this provider). */
  #automine = true;
  /** Sent transactions in the node's pool, by hash, in the order they were sent. */
  readonly #waiting = new Map<string, Waiting>();
  /** Requests under way at the node, other than the block maker's own. */
  #active = 0;
  #drained: (() => void) | undefined;
  /** The block being made: every other request waits for it. */
  #making: Promise<void> | undefined;
  /** A block is asked for (it starts once the event loop has let every sender hand over). */
  #scheduled = false;
  /** Blocks asked for with evm_mine by others (a timestamp, or none), made in turn. */
  readonly #asked: { params: unknown[]; done: (error?: unknown) => void }[] = [];
  readonly #receipts = new Map<string, unknown>();
  readonly #mined = new Map<number, MinedBlock>();
  readonly #pacer = new BlockPacer();
  #snapshots: Snapshots;
  /** The outcomes of the block being made for its senders, told once the chain is free again. */
  readonly #settled: (() => void)[] = [];
  /**
   * A snapshot taken as the last block was made, of the chain right after it, for the next block
   * to mine on at once, with the transactions then in the pool (those the block had no room for);
   * undefined once anything but a read or a signed send has reached the node since.
   */
  #prepared: { snapshot: string; pool: ReadonlySet<string> } | undefined;
  /** Closed while a rebase or a hold holds new blocks: writes wait at it (see block-move.ts). */
  readonly #gate = new WriteGate();
  /** Sends past the gate whose transaction is not in the pool yet (a rebase waits for them). */
  #entering = 0;
  #blocks = 0;
  #transactions = 0;
  #rebases = 0;
  #dropped = 0;

  constructor(private node: Eip1193) {
    this.#snapshots = new Snapshots(node);
  }

  /**
   * Moves block making onto `next`, a chain following this one's journal, so that the old chain's
   * history can be freed (see moveBlockMaking in block-move.ts: new blocks held, a bounded pause,
   * every check under the block lock). Answers whether `next` is now the chain (if not, nothing
   * changed here), how long blocks were held, and why not.
   */
  async rebase(next: Eip1193, takeover: Takeover, maxPauseMs: number): Promise<MoveOutcome> {
    const outcome = await moveBlockMaking(this.#lent, next, takeover, maxPauseMs);
    if (outcome.swapped) this.#rebases++;
    return outcome;
  }

  /**
   * Holds new blocks (as rebase does: writes wait, reads go on) while `run` runs, so that a chain
   * following this one's journal gains on it; the blocks under way are still made. Counted among
   * the rebases' pauses.
   */
  hold<T>(run: () => Promise<T>): Promise<T> {
    return this.#gate.hold(run);
  }

  /** What a move of block making needs of this one's state (see block-move.ts). */
  readonly #lent: BlockMaking = {
    started: () => this.#started,
    gate: this.#gate,
    node: () => this.node,
    underWay: () => this.#making !== undefined || this.#scheduled || this.#entering > 0 || this.#waiting.size > 0 || this.#asked.length > 0,
    making: () => this.#making,
    queued: () => this.#waiting.size > 0 || this.#asked.length > 0,
    othersSnapshots: () => this.#snapshots.others,
    exclusive: (run) => this.#exclusive(run),
    moveTo: (next) => {
      this.node = next;
      this.#snapshots = new Snapshots(next);
      this.#prepared = undefined;
    },
  };

  /** Runs `run` under the block lock, once no request of others is under way at the node. */
  async #exclusive<T>(run: () => Promise<T>): Promise<T> {
    let done!: () => void;
    while (this.#making !== undefined) await this.#making;
    this.#making = new Promise<void>((resolve) => (done = resolve));
    try {
      // Reads under way finish first (new requests wait for the lock).
      await this.#drain();
      return await run();
    } finally {
      this.#making = undefined;
      done();
      if (this.#waiting.size > 0 || this.#asked.length > 0) this.#schedule();
    }
  }

  /** Switches the node's own automine off: from now on sends are mined here, in batches. */
  async start(): Promise<void> {
    if (this.#started) return;
    await this.node.request({ method: "evm_setAutomine", params: [false] });
    this.#started = true;
  }

  /**
   * Blocks this provider mined, the transactions sent meanwhile, the checked ones dropped, the
   * snapshots it holds at the node, the rebases done and the last rebase attempts' pauses (ms).
   */
  get stats(): { blocks: number; transactions: number; dropped: number; snapshots: number; rebases: number; pausesMs: number[] } {
    return { blocks: this.#blocks, transactions: this.#transactions, dropped: this.#dropped, snapshots: this.#snapshots.held, rebases: this.#rebases, pausesMs: this.#gate.pausesMs };
  }

  /**
   * Block `number` and its logs, read right after it was made here (before the next block could
   * keep the node busy), once; undefined if not made here or already taken.
   */
  takeMined(number: number): MinedBlock | undefined {
    const mined = this.#mined.get(number);
    if (mined !== undefined) this.#mined.delete(number);
    return mined;
  }

  /** True when {sendChecked} can be used: blocks are made here and sends are mined before they return. */
  get checking(): boolean {
    return this.#started && this.#automine;
  }

  async request(args: Args): Promise<unknown> {
    if (!this.#started) return this.#observed(args, () => this.node.request(args));
    if (this.#gate.closed && !READS.has(args.method) && !args.method.startsWith("eth_get")) await this.#gate.passed();
    if (SENDS.has(args.method)) {
      this.#entering++;
      const { hash, receipt } = await this.#send(args, false);
      // Kept for the sender's own request for it, which follows.
      if (receipt !== null) this.#keep(hash, receipt);
      return hash;
    }
    if (args.method === "eth_getTransactionReceipt") {
      const hash = String((args.params as unknown[])[0]);
      const kept = this.#receipts.get(hash);
      if (kept !== undefined) {
        this.#receipts.delete(hash);
        return kept;
      }
    }
    if (args.method === "hardhat_getAutomine") return this.#automine;
    if (args.method === "evm_setAutomine") {
      // Journal replay mines its own blocks: sends only enter the pool meanwhile.
      this.#automine = Boolean((args.params as unknown[])[0]);
      return true;
    }
    if (args.method === "evm_mine" && this.#automine) {
      // Made like any other block, so that the checked transactions in the pool are checked.
      await new Promise<void>((resolve, reject) => {
        this.#asked.push({ params: Array.isArray(args.params) ? args.params : [], done: (e) => (e === undefined ? resolve() : reject(e)) });
        this.#schedule();
      });
      return "0x0";
    }
    if (!KEEPS_SNAPSHOT.has(args.method) && !args.method.startsWith("eth_get")) this.#prepared = undefined;
    return this.#shared(() => this.#observed(args, () => this.node.request(args)));
  }

  /** Runs others' request `args`, noting the snapshots it takes or drops (see snapshots.ts). */
  async #observed(args: Args, run: () => Promise<unknown>): Promise<unknown> {
    const result = await run();
    this.#snapshots.observe(args.method, args.params, result);
    return result;
  }

  /**
   * Sends signed transaction `raw` of account `from` and resolves with its receipt once mined. If
   * it reverts, it is dropped (see the file's comment) and this rejects with {DroppedTransaction}.
   * Use only while {checking}.
   */
  async sendChecked(raw: string, from: string): Promise<RawReceipt> {
    if (!this.checking) throw new Error("checked sends need batched blocks with automining on");
    await this.#gate.passed();
    this.#entering++;
    try {
      await this.#pacer.admit(from.toLowerCase());
    } catch (error) {
      this.#entering--;
      throw error;
    }
    const { hash, receipt } = await this.#send({ method: "eth_sendRawTransaction", params: [raw] }, true);
    if (receipt === null) throw new Error(`transaction ${hash} was not mined`);
    return receipt;
  }

  /**
   * Hands a transaction to the node's pool and, while automining, waits for the block that carries
   * it. Counted in #entering by the caller (once past the gate) until it is in the pool.
   */
  async #send(args: Args, checked: boolean): Promise<{ hash: string; receipt: RawReceipt | null }> {
    let mined: Promise<RawReceipt | null> | undefined;
    const hash = await this.#shared(async () => {
      let sent: string;
      try {
        sent = (await this.node.request(args)) as string;
      } catch (error) {
        if (checked) this.#pacer.withdraw();
        throw error;
      }
      // Registered before the request counts as done, so the next block made knows it is there.
      const raw = args.method === "eth_sendRawTransaction" ? String((args.params as unknown[])[0]) : undefined;
      if (raw === undefined) this.#prepared = undefined; // signed by the node: it could not be sent again as it was
      if (this.#automine) mined = new Promise((resolve, reject) => this.#waiting.set(sent, { hash: sent, checked, raw, resolve, reject }));
      return sent;
    }).finally(() => {
      // In the pool (or refused) now: a rebase no longer waits for it.
      this.#entering--;
    });
    if (mined === undefined) return { hash, receipt: null };
    this.#transactions++;
    this.#schedule();
    return { hash, receipt: await mined };
  }

  /** Runs a request at the node once no block is being made, counting it as under way meanwhile. */
  async #shared<T>(run: () => Promise<T>): Promise<T> {
    while (this.#making !== undefined) await this.#making;
    this.#active++;
    try {
      return await run();
    } finally {
      if (--this.#active === 0) this.#drained?.();
    }
  }

  #schedule(): void {
    // A full block (as many checked sends as the pacer lets in, all in the pool) starts at once:
    // nothing else can join it, and waiting for the event loop's turn would leave the chain idle
    // while the server reads the requests that arrived meanwhile.
    if (this.#making === undefined && this.#active === 0 && this.#pacer.full) {
      void this.#makeBlocks();
      return;
    }
    if (this.#scheduled) return;
    this.#scheduled = true;
    // Let every sender whose request is already under way hand over its transaction first.
    setImmediate(() => {
      void this.#makeBlocks();
    });
  }

  /** Makes blocks until nothing waits: the pool's transactions, and the blocks others asked for. */
  async #makeBlocks(): Promise<void> {
    if (this.#making !== undefined) {
      // The block under way reschedules when it ends.
      this.#scheduled = false;
      return;
    }
    let done!: () => void;
    this.#making = new Promise<void>((resolve) => (done = resolve));
    this.#scheduled = false;
    this.#pacer.blockStarted();
    const asked = this.#asked.splice(0);
    try {
      await this.#drain();
      // The pool's transactions go in the first block (asked for or not); further blocks asked
      // for at once are made one after the other.
      if (this.#waiting.size > 0 && asked.length === 0) await this.#makeBlock([], false);
      for (const a of asked) {
        await this.#makeBlock(a.params, true);
        a.done();
      }
    } catch (error) {
      for (const a of asked) a.done(error);
      for (const w of this.#waiting.values()) w.reject(error);
      this.#waiting.clear();
    } finally {
      this.#making = undefined;
      done();
      if (this.#waiting.size > 0 || this.#asked.length > 0) this.#schedule();
      // The block's senders hear of it only now: the sends that waited for the block reach the
      // node first, so the chain has the next block's work while the server answers this one's.
      for (const settle of this.#settled.splice(0)) settle();
    }
  }

  /** Resolves once no request of others is under way at the node. */
  #drain(): Promise<void> {
    if (this.#active === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#drained = () => {
        this.#drained = undefined;
        resolve();
      };
    });
  }

  /**
   * Mines the pool's transactions into one block and settles the ones it carries. With checked
   * transactions among them it mines on a snapshot, and undoes and remakes the block while one of
   * them reverted. Transactions the block did not take (the block was full) wait for the next; if
   * it took none of them, they never will be (a gap in their sender's nonces): they are settled
   * as not mined. A block `asked` for (evm_mine) is made even when every transaction was dropped.
   */
  async #makeBlock(mineParams: unknown[], asked: boolean): Promise<void> {
    for (;;) {
      const checked = [...this.#waiting.values()].some((w) => w.checked);
      // On the snapshot prepared by the last block (no request to wait for), else on one taken now.
      const prepared = checked ? this.#prepared : undefined;
      const snapshot = !checked ? undefined : (prepared?.snapshot ?? (await this.#snapshots.takeReleasable()));
      this.#prepared = undefined;
      // Once enough are held, the snapshots of settled blocks are released after this one is checked.
      const releasing = checked && this.#snapshots.releasable >= RELEASE_SNAPSHOTS_AFTER;
      await this.node.request({ method: "evm_mine", params: mineParams });
      // The next block's snapshot, taken with the reads (all of them see the chain as this block
      // left it); after the release when there is one (a release drops it too).
      const [made, next] = await Promise.all([this.#read(), checked && !releasing ? this.#snapshots.take() : undefined]);
      const waiting = [...this.#waiting.values()];
      const receipts = await this.#receiptsIn(made, waiting);
      const reverted = waiting.filter((w, i) => w.checked && receipts[i] !== null && receipts[i]!.status !== "0x1");
      if (reverted.length > 0) {
        // Named from this block (a transaction may revert because of an earlier one in it), then undone.
        const data = await Promise.all(reverted.map((w) => traceRevertData(this.node, w.hash)));
        // Reverting to a snapshot also retires the ones taken after it (`next`).
        await this.#snapshots.revert(snapshot!);
        for (const [i, w] of reverted.entries()) {
          // A snapshot of the last block has the pool as it was then: the block's other
          // transactions are sent again (below); one taken now has them all: the reverted ones are dropped.
          if (prepared === undefined) await this.node.request({ method: "hardhat_dropTransaction", params: [w.hash] });
          this.#waiting.delete(w.hash);
          this.#dropped++;
          this.#settled.push(() => w.reject(new DroppedTransaction(w.hash, data[i])));
        }
        if (prepared !== undefined) {
          for (const w of this.#waiting.values()) {
            if (!prepared.pool.has(w.hash)) await this.node.request({ method: "eth_sendRawTransaction", params: [w.raw] });
          }
        }
        if (this.#waiting.size === 0 && !asked) return; // nothing left: no block at all
        continue;
      }
      this.#blocks++;
      if (this.#mined.size >= MAX_KEPT_BLOCKS) this.#mined.delete(this.#mined.keys().next().value as number);
      this.#mined.set(Number(made.block.number), made);
      let mined = 0;
      waiting.forEach((w, i) => {
        const receipt = receipts[i];
        if (receipt === null) return;
        mined++;
        this.#waiting.delete(w.hash);
        this.#settled.push(() => w.resolve(receipt));
      });
      if (mined === 0) {
        for (const w of this.#waiting.values()) {
          if (w.checked) {
            await this.node.request({ method: "hardhat_dropTransaction", params: [w.hash] });
            w.reject(new Error(`transaction ${w.hash} cannot be mined (a gap in its sender's nonces): dropped`));
          } else {
            w.resolve(null); // as an automining node answers a queued transaction: its hash, not mined
          }
        }
        this.#waiting.clear();
      }
      if (releasing) await this.#snapshots.release();
      // Kept for the next block unless transactions were dropped from the pool since it was taken.
      const following = !checked || mined === 0 ? undefined : (next ?? (await this.#snapshots.take()));
      this.#prepared = following === undefined ? undefined : { snapshot: following, pool: new Set(this.#waiting.keys()) };
      return;
    }
  }

  /** Reads the block just made and its logs (kept for the sync once checked: see takeMined). */
  async #read(): Promise<MinedBlock> {
    // Both at once: the block just made is the latest until this block maker lets others in.
    const [block, logs] = await Promise.all([
      this.node.request({ method: "eth_getBlockByNumber", params: ["latest", false] }) as Promise<MinedBlock["block"]>,
      this.node.request({ method: "eth_getLogs", params: [{ fromBlock: "latest", toBlock: "latest" }] }) as Promise<MinedBlock["logs"]>,
    ]);
    return { block, logs };
  }

  /**
   * The receipts of `waiting` transactions in block `made` (null: not in it). A checked
   * transaction that left logs succeeded (a reverted one leaves none): its receipt is made from
   * the block and its logs, as the node would give it, without asking the node once per
   * transaction (under load, one request per transaction was about a twentieth of the block's
   * work, on the chain and on the server's thread). The others' receipts are asked for.
   */
  #receiptsIn(made: MinedBlock, waiting: Waiting[]): Promise<(RawReceipt | null)[]> {
    const index = new Map(made.block.transactions.map((hash, i) => [hash, i]));
    const logsOf = new Map<string, MinedBlock["logs"]>();
    for (const log of made.logs) {
      const list = logsOf.get(log.transactionHash);
      if (list === undefined) logsOf.set(log.transactionHash, [log]);
      else list.push(log);
    }
    return Promise.all(
      waiting.map(async (w) => {
        const i = index.get(w.hash);
        if (i === undefined) return null;
        const logs = logsOf.get(w.hash);
        if (w.checked && logs !== undefined) {
          return { transactionHash: w.hash, blockNumber: made.block.number, transactionIndex: `0x${i.toString(16)}`, status: "0x1", logs };
        }
        return (await this.node.request({ method: "eth_getTransactionReceipt", params: [w.hash] })) as RawReceipt | null;
      }),
    );
  }

  #keep(hash: string, receipt: unknown): void {
    if (this.#receipts.size >= MAX_KEPT_RECEIPTS) this.#receipts.delete(this.#receipts.keys().next().value as string);
    this.#receipts.set(hash, receipt);
  }
}
