/**
 * The platform's local chain while a start loads it in the background (see startPlatform's
 * `answerEarly`): the index already answers reads, and what needs the chain waits here.
 *
 * Two gates, under the block maker, so the sender and the index are the ones the platform keeps.
 * The start's own steps (the journal's tail, index catch-up, clock, reconcile), run inside
 * {StartingChain#startup}, pass once the chain is loaded and its checkpoint's state root
 * verified; everyone else (a read, the JSON-RPC endpoint) passes only once those steps are done
 * too, so no request sees the chain before the start has checked it, and nothing is written to
 * the index or journal before the root is verified. A caller waits at most `waitMs`, then gets
 * {ChainStartingError} (the API answers 503 CHAIN_STARTING with Retry-After). Writes wait at the
 * API's door for the same (whenOpen), so that a send never reaches the block maker before it
 * makes blocks.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Server } from "node:http";

import { BatchingChain, type MinedBlock } from "./blocks.js";
import type { Db } from "../db/database.js";
import type { Checkpoint } from "./checkpoint.js";
import { serveJsonRpc, type EndpointMode } from "./endpoint.js";
import type { RebaseOptions, RebaseOutcome } from "./rebase.js";
import type { Eip1193 } from "./rpc.js";
import type { ChainRuntime, ChainStatus, Deployment } from "./runtime.js";

/** A request that needs the chain came while it was still loading and the wait ran out. */
export class ChainStartingError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("the platform's chain is still loading: try again shortly");
    this.name = "ChainStartingError";
  }
}

/** The start could not load its chain: every caller still waiting is told why. */
export class ChainStartFailedError extends Error {
  constructor(cause: unknown) {
    super(`the chain could not be loaded: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "ChainStartFailedError";
  }
}

/** Resolves once `promise` does, or after `ms` with `false`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export class StartingChain implements ChainRuntime {
  readonly mode = "local" as const;
  /**
   * The block maker the loaded chain runs under, made now so the sender and the index are made
   * once, at once. Its node is the loaded chain's, behind the gates.
   */
  readonly rpc: BatchingChain;
  #node: Eip1193 | undefined;
  #runtime: ChainRuntime | undefined;
  #server: Server | undefined;
  #failure: Error | undefined;
  #state: ChainStatus = { state: "loading", message: "loading the chain" };
  readonly #loaded = deferred();
  readonly #open = deferred();
  /**
   * Marks the start's own steps. Disabled once the start is over: while one is enabled, Node
   * tracks every promise of the process for it.
   */
  readonly #steps = new AsyncLocalStorage<true>();

  /** `chainId`: the deployment's (a loaded chain of another id fails the start). */
  constructor(
    readonly chainId: bigint,
    private readonly waitMs: number,
  ) {
    this.rpc = new BatchingChain({ request: async (args) => (await this.#gate()).request(args) });
  }

  /** Runs the start's own steps: their chain calls pass as soon as the chain is loaded. */
  startup<T>(steps: () => Promise<T>): Promise<T> {
    return this.#steps.run(true, steps);
  }

  /**
   * Takes the node of the chain just loaded (its checkpoint's root verified, the journal's tail
   * not yet replayed): the start's own steps may use it. Gives startLocalChain the block maker.
   */
  bind(node: Eip1193): BatchingChain {
    this.#node = node;
    this.#loaded.resolve();
    return this.rpc;
  }

  /** The loaded chain's runtime (closed with this one). */
  adopt(runtime: ChainRuntime): void {
    this.#runtime = runtime;
  }

  /** The start is done: everyone may use the chain. */
  open(): void {
    this.#state = { state: "ready", message: "the chain is loaded and verified" };
    this.#open.resolve();
    this.#steps.disable();
  }

  /** The load failed: every waiting and later caller gets the reason. */
  fail(error: unknown): void {
    this.#failure = new ChainStartFailedError(error);
    this.#state = { state: "failed", message: this.#failure.message };
    this.#loaded.resolve();
    this.#open.resolve();
    this.#steps.disable();
  }

  /**
   * The platform stops while its chain is still loading: the start's next chain call fails, so
   * the load ends within one call (EDR's own build of the state cannot be cut short).
   */
  stop(): void {
    if (this.#state.state === "loading") this.fail(new Error("the platform was stopped while its chain was loading"));
  }

  /** What the load is doing now (its progress lines). */
  note(message: string): void {
    if (this.#state.state === "loading") this.#state = { state: "loading", message };
  }

  status(): ChainStatus {
    return this.#state;
  }

  /** Resolves once everyone may use the chain; throws {ChainStartingError} after the wait, or why the load failed. */
  async whenOpen(): Promise<void> {
    if (!(await within(this.#open.promise, this.waitMs))) throw new ChainStartingError(Math.max(1, Math.ceil(this.waitMs / 1000)));
    if (this.#failure !== undefined) throw this.#failure;
  }

  async #gate(): Promise<Eip1193> {
    if (this.#steps.getStore() === true) await this.#loaded.promise;
    else await this.whenOpen();
    if (this.#failure !== undefined) throw this.#failure;
    return this.#node!;
  }

  async #loadedRuntime(): Promise<ChainRuntime> {
    await this.#gate();
    if (this.#runtime === undefined) throw new Error("the chain is loaded but not handed over");
    return this.#runtime;
  }

  async deploy(): Promise<Deployment> {
    throw new Error("a chain loaded from its journal is never deployed to again");
  }

  async batchBlocks(): Promise<void> {
    await this.#gate();
    await this.rpc.start();
  }

  takeMined(number: number): MinedBlock | undefined {
    return this.rpc.takeMined(number);
  }

  async rebase(checkpoint: Checkpoint, db: Db, options: RebaseOptions): Promise<RebaseOutcome> {
    const runtime = await this.#loadedRuntime();
    if (runtime.rebase === undefined) return { done: false, pausesMs: [], reason: "the chain cannot be moved" };
    return runtime.rebase(checkpoint, db, options);
  }

  async advanceTime(seconds: number): Promise<void> {
    await (await this.#loadedRuntime()).advanceTime(seconds);
  }

  /** Serves the chain's JSON-RPC at once; its calls wait for the chain like any other. */
  async serveRpc(host: string, port: number, mode: EndpointMode): Promise<string | undefined> {
    const server = await serveJsonRpc(this.rpc, host, port, mode);
    this.#server = server;
    const address = server.address();
    return typeof address === "object" && address !== null ? `http://${host}:${address.port}` : undefined;
  }

  /** Closes the endpoint and the loaded chain (call once the load has settled). */
  async close(): Promise<void> {
    const server = this.#server;
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
    await this.#runtime?.close();
  }
}
