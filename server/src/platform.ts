/**
 * Starts the platform: database, chain (its own local chain, rebuilt from the journal, or an
 * external node), deployment, index catch-up, reconciliation of requests cut off by a crash,
 * services and routes: the composition root. What varies between callers (the sender, the
 * simulation runner) comes in as options, fixed from the start. `createApp` turns the result into
 * HTTP; the simulator uses the services.
 */
import path from "node:path";

import pino, { type Logger } from "pino";

import type { ContractName } from "../../domain/generated/contracts.js";
import type { SimulationRunner } from "../../domain/simulation-runner.js";
import { configuredOperatorKey, fundOnExternalNode, genesisAccounts, keyOf, platformAccounts } from "./chain/accounts.js";
import type { Addresses, CallArgs, CallResult, ViewName, WriteName } from "./chain/contracts.js";
import { Indexer } from "./chain/indexer.js";
import { KeyStore } from "./chain/keys.js";
import { readCheckpointYielding } from "./chain/checkpoint.js";
import { ChainCheckpointer } from "./chain/checkpoint-replica.js";
import { BatchingChain } from "./chain/blocks.js";
import { DEFAULT_BUDGET, type HistoryBudget } from "./chain/rebase.js";
import { connectExternalChain, resumeLocalChain, startLocalChain, type ChainRuntime } from "./chain/runtime.js";
import { StartingChain } from "./chain/starting.js";
import { blockTime, expectedChainTime, hasCode, keepPolicyAtStop, loadJournaledChain, policyAtStop, rebuildFromJournal, reconcile } from "./platform-start.js";
import { TxSender } from "./chain/sender.js";
import { ChainSync } from "./chain/sync.js";
import type { Config } from "./config.js";
import { startCheckpointer } from "./db/checkpointer.js";
import { openDatabase } from "./db/database.js";
import { lockDataDir } from "./db/lock.js";
import { ChainStateRepository } from "./db/repositories/chain-state.js";
import { InterruptedRequestRepository } from "./db/repositories/platform-interrupted.js";
import { PlatformMetaRepository } from "./db/repositories/platform-meta.js";
import { PlatformParticipantRepository } from "./db/repositories/platform-participants.js";
import { IndexTotalsRepository } from "./db/repositories/platform-totals.js";
import { IdempotencyStore } from "./http/idempotency.js";
import type { AnyRoute } from "./http/routes.js";
import { EventHub } from "./http/sse.js";
import { allRoutes } from "./routes/index.js";
import { AuditService } from "./services/audit.js";
import { AuthService } from "./services/auth.js";
import { ChainControlService } from "./services/chain-control.js";
import { act, read, type ActResult } from "./services/actions.js";
import type { Actor, Ctx } from "./services/context.js";
import { DocumentService } from "./services/documents.js";
import { FinancingService } from "./services/financing.js";
import { InvoiceService } from "./services/invoices.js";
import { OversightService } from "./services/oversight.js";
import { ParticipantService } from "./services/participants.js";
import { PolicyService } from "./services/policy.js";
import { RegulatorService } from "./services/regulator.js";
import type { Services } from "./services/registry.js";
import { SettlementService } from "./services/settlement.js";

export type { Services };

export interface Platform {
  /** The services' context: internal to the server and its own tests and benchmarks. A client (the simulator) uses the members below. */
  ctx: Ctx;
  services: Services;
  routes: AnyRoute[];
  events: EventHub;
  idempotency: IdempotencyStore;
  /** The index's totals, read-only (the simulator's accounting checks). */
  totals: IndexTotalsRepository;
  /** True when this start created the deployment (a fresh data directory). */
  fresh: boolean;
  /**
   * Settles once the chain is loaded, its root verified, the index caught up and interrupted
   * requests reconciled (at once unless started with `answerEarly`); rejects, with why, when that
   * failed: the platform then cannot write and should be closed.
   */
  chainReady: Promise<void>;
  /** Resolves when writes may reach the chain; while a start loads it, throws ChainStartingError after a bounded wait. */
  chainWritable(): Promise<void>;
  /**
   * True from the deployment until `finishSetup()`: the first start's own setup (the demo seed)
   * has not completed. Found true on a later start, the first start was cut off before serving.
   */
  readonly setupPending: boolean;
  finishSetup(): void;
  /** The operator and the first regulator (their keys generated at the first start; see chain/accounts.ts). */
  operator: Actor;
  regulator: Actor;
  /** The deployment's contract addresses. */
  readonly addresses: Readonly<Addresses>;
  /** Returns once the index holds every block up to `block` (default: the chain's latest), e.g. after a client made blocks itself. */
  syncTo(block?: number): Promise<void>;
  /**
   * Sends `contract.method(...args)` as `actor` (a participant whose key the platform holds) as a
   * service does (services/actions.ts): indexed before it returns, a refusal as the catalogue's
   * error. For what no service offers on its own: the operator's mint, one receivable's mark.
   */
  act<C extends ContractName, M extends WriteName<C>>(actor: Pick<Actor, "address" | "role">, contract: C, method: M, args: CallArgs<C, M>): Promise<ActResult>;
  /** Reads a contract view (services/actions.ts `read`): typed from the ABI, or unchecked as `read<T>(...)`. */
  read<C extends ContractName, M extends ViewName<C>>(contract: C, method: M, ...args: CallArgs<C, M> extends readonly [] ? [args?: CallArgs<C, M>] : [args: CallArgs<C, M>]): Promise<CallResult<C, M>>;
  read<T = unknown>(contract: ContractName, method: string, args?: unknown[]): Promise<T>;
  close(): Promise<void>;
}

export type PlatformConfig = Pick<Config, "dataDir" | "rpcUrl" | "keySecret" | "sessionTtlMs" | "host" | "chainPort"> &
  Partial<Pick<Config, "chainRpc" | "devKeys" | "funderKey" | "operatorKey" | "operatorKeystore" | "gasPrice" | "txTimeoutMs" | "chainHistoryMb">> & {
  /** ":memory:" keeps everything in memory (tests, the simulator). */
  inMemory?: boolean;
  /** Genesis time of a fresh local chain (default: now). */
  genesisTime?: number;
  /** How long Idempotency-Key answers are kept (default 24 hours). */
  idempotencyHours?: number;
};

export interface StartOptions {
  logger?: Logger;
  onProgress?: (message: string) => void;
  /** When the local chain (and its checkpoint replica) are loaded afresh from a checkpoint (default: rebase.ts's; small in tests). */
  chainHistory?: HistoryBudget;
  /** Background keeper (overdue/default marks) and polling of the chain; off in tests. */
  background?: boolean;
  /**
   * How the local chain makes blocks: "batched" (default: see BatchingChain) or "automine", one
   * block per transaction, for a caller that produces blocks itself (the simulator, whose blocks
   * carry simulated time and a repeatable order).
   */
  blocks?: "batched" | "automine";
  /**
   * Journal the local chain's blocks (default true). Off only for a platform that will never be
   * restarted from its database: the simulator's, in memory, thrown away after its run.
   */
  journal?: boolean;
  /**
   * How transactions reach the chain: called once the contracts are deployed, before anything is
   * sent or indexed; every service and the journal use what it returns. Default: {TxSender}.
   * The simulator gives its own (blocks carrying simulated time).
   */
  sender?: (chain: ChainRuntime) => TxSender | Promise<TxSender>;
  /** Who runs the regulator's simulations (sim/manager.ts in `npm start`); none: those routes answer NotFound. */
  simulations?: SimulationRunner;
  /**
   * Return once the database and the index are open, and load the local chain of a data
   * directory with a journal in the background (`chainReady` says when it is loaded and
   * verified): reads answer at once, what needs the chain waits for it (see chain/starting.ts).
   * Default false: return with the chain ready.
   */
  answerEarly?: boolean;
  /** How long a request waits for a loading chain before it is answered CHAIN_STARTING (default CHAIN_START_WAIT_MS). */
  chainWaitMs?: number;
}

/** How long a request that needs the chain waits for a start still loading it (then 503, Retry-After). */
export const CHAIN_START_WAIT_MS = 10_000;

export async function startPlatform(config: PlatformConfig, options: StartOptions = {}): Promise<Platform> {
  const logger = options.logger ?? pino({ level: "silent" });
  const inMemory = config.inMemory === true;
  const releaseLock = inMemory ? () => {} : lockDataDir(config.dataDir);
  const db = openDatabase(inMemory ? ":memory:" : config.dataDir);
  const checkpointer = inMemory ? undefined : startCheckpointer(db, (message) => logger.warn({ message }, "database checkpoint failed"));
  let started: ChainRuntime | undefined;
  let starting: StartingChain | undefined;
  const progress = (message: string) => {
    starting?.note(message.trim());
    options.onProgress?.(message);
  };
  try {
    const keys = new KeyStore(db, config.keySecret);
    const meta = new PlatformMetaRepository(db);
    const stored = meta.deployment();
    const accounts = platformAccounts(db, keys, { devKeys: config.devKeys === true, deployed: stored !== undefined, operatorKey: await configuredOperatorKey(config) });
    const genesis = meta.genesisTime();
    // The same genesis accounts at every start: the journal replays onto the same genesis state.
    const genesisState = config.rpcUrl === undefined ? genesisAccounts(accounts, keys) : undefined;
    const genesisTime = genesis ?? config.genesisTime;
    const journaledHead = new ChainStateRepository(db).journaledHead();
    // A local chain with a journal is loaded in the background when the caller asked to answer
    // early: the index holds what reads need. (An empty journal: a start cut off while deploying,
    // which deploys again in the foreground.)
    const early = options.answerEarly === true && stored !== undefined && !inMemory && config.rpcUrl === undefined && genesis !== undefined && journaledHead > 0;
    let chain: ChainRuntime;
    if (early) {
      starting = new StartingChain(BigInt(stored.chainId), options.chainWaitMs ?? CHAIN_START_WAIT_MS);
      chain = starting;
    } else if (config.rpcUrl !== undefined) {
      chain = await connectExternalChain(config.rpcUrl, { operator: keyOf(keys, accounts.operator), regulator: keyOf(keys, accounts.regulator) }, config);
    } else {
      chain = stored === undefined || inMemory ? await startLocalChain(genesisTime, genesisState) : await resumeLocalChain(db, genesisTime, genesisState, progress);
      if (genesis === undefined) meta.setGenesisTime(await blockTime(chain, 0));
    }
    started = chain;
    if (stored !== undefined && stored.chainId !== chain.chainId.toString()) {
      throw new Error(`the data directory belongs to chain ${stored.chainId}, the node is chain ${chain.chainId}`);
    }
    let checkpoints: ChainCheckpointer | undefined;
    const makeCheckpointer = () =>
      chain.mode === "local" && !inMemory && options.journal !== false
        ? new ChainCheckpointer(db, genesisState, {
            onError: (err) => logger.warn({ err }, "chain checkpoint failed"),
            onNote: (message) => logger.info(message),
            // Flat memory: the chain moves onto one loaded from a checkpoint, dropping its history.
            rebaseChain: async (block, stopped) => {
              const { checkpoint } = await readCheckpointYielding(db);
              if (checkpoint?.header.block !== block || chain.rebase === undefined) return { done: false, pausesMs: [], reason: "no checkpoint at that block" };
              return chain.rebase(checkpoint, db, { journalUpTo: (n) => sync.upTo(n), stopped });
            },
            hold: chain.rpc instanceof BatchingChain ? (run) => (chain.rpc as BatchingChain).hold(run) : undefined,
            budget: options.chainHistory ?? (config.chainHistoryMb === undefined ? undefined : { ...DEFAULT_BUDGET, minKb: config.chainHistoryMb * 1024 }),
          })
        : undefined;
    let deployment = stored;
    if (!early) {
      checkpoints = makeCheckpointer();
      if (deployment !== undefined && chain.mode === "local") {
        const replayed = await rebuildFromJournal(chain, db, progress);
        if (replayed.blocks === 0 && !(await hasCode(chain, deployment.addresses.ReceivableLedger))) {
          // The first start stopped after recording its deployment, before journaling its blocks:
          // nothing of it survived the chain's memory, and nothing else happened since. Deploy again.
          progress("The first start was cut off while deploying: deploying again.");
          deployment = undefined;
        }
      } else if (deployment !== undefined) {
        if (!(await hasCode(chain, deployment.addresses.ReceivableLedger))) {
          throw new Error(`the node has no contract at ${deployment.addresses.ReceivableLedger}: was it reset? Use a fresh SCF_DATA_DIR`);
        }
      }
    }
    const fresh = deployment === undefined;
    if (deployment === undefined) {
      if (chain.mode === "external" && !accounts.development) await fundOnExternalNode(chain, accounts, config.funderKey, keys);
      progress("Deploying the contracts (Ignition)...");
      const d = await chain.deploy();
      const created = { ...d, chainId: chain.chainId.toString() };
      meta.recordDeployment(created);
      deployment = created;
    }
    if (!early && options.blocks !== "automine") await chain.batchBlocks();
    const addresses = deployment.addresses;
    const indexer = new Indexer(db);
    const sender = options.sender === undefined ? new TxSender(chain.rpc, chain.chainId, chain.mode === "local") : await options.sender(chain);
    const sync = new ChainSync(chain.rpc, db, addresses, indexer, {
      journal: chain.mode === "local" && options.journal !== false,
      fromBlock: chain.mode === "local" ? 1 : deployment.fromBlock,
      signedBytes: (hash) => sender.takeSigned(hash),
      // Without a journal, a sender that made a block and read its receipt hands it over too.
      mined: (n) => chain.takeMined?.(n) ?? (options.journal === false ? sender.takeMined(n) : undefined),
      onJournaled: (block) => checkpoints?.journaled(block),
    });
    const events = new EventHub(db);
    sync.onEvents(events.publish);
    const endpoint = config.chainRpc ?? "off";
    const rpcUrl =
      chain.mode === "local" && config.chainPort > 0 && endpoint !== "off" ? ((await chain.serveRpc(config.host, config.chainPort, endpoint)) ?? null) : null;
    const ctx: Ctx = { db, chain, keys, sender, sync, addresses, logger, onEvents: (l) => sync.onEvents(l), rpcUrl };
    // The platform's own participants are ensured on an index that holds the chain's (a loading
    // chain's index already holds every journaled block).
    if (!early) await sync.upTo();

    const platformParticipants = new PlatformParticipantRepository(db);
    const operator = ensurePlatformParticipant(platformParticipants, accounts.operator, "Operator", "Platform operator");
    const regulator = ensurePlatformParticipant(platformParticipants, accounts.regulator, "Regulator", "Sandbox regulator");
    const auth = new AuthService(db, config.sessionTtlMs);
    const policy = new PolicyService(ctx);
    const invoices = new InvoiceService(ctx, policy);
    const services: Services = {
      auth,
      policy,
      invoices,
      financing: new FinancingService(ctx, invoices, policy),
      settlement: new SettlementService(ctx, policy),
      participants: new ParticipantService(ctx, auth, () => operator),
      regulator: new RegulatorService(ctx),
      documents: new DocumentService(ctx, inMemory ? null : path.join(config.dataDir, "documents")),
      audit: new AuditService(ctx),
      oversight: new OversightService(ctx, policy),
      chain: new ChainControlService(ctx, policy),
    };
    const routes = allRoutes(services, options.simulations);
    const idempotency = new IdempotencyStore(ctx, { retentionHours: config.idempotencyHours });

    const timers: NodeJS.Timeout[] = [];
    // The index catches up with the chain, the clock is read, requests cut off by a stop are
    // reconciled, then the background work starts.
    const catchUp = async () => {
      await sync.upTo();
      await policy.refreshClock();
      await reconcile(ctx, new InterruptedRequestRepository(db), routes, logger);
      if (options.background !== false) {
        // Blocks made by others (the JSON-RPC endpoint, another client of an external node).
        timers.push(setInterval(() => void sync.upTo().catch((err: unknown) => logger.warn({ err }, "sync failed")), 2_000));
        // Housekeeping: overdue and default marks as chain time passes.
        timers.push(setInterval(() => void services.settlement.markDue(operator).catch((err: unknown) => logger.warn({ err }, "keeper failed")), 10_000));
        timers.push(setInterval(() => auth.purgeExpired(), 3_600_000));
        for (const t of timers) t.unref();
      }
      // The checkpoint catches up with the journal in the background (after a full replay: all of it).
      checkpoints?.journaled(sync.syncedBlock);
    };
    let chainReady: Promise<void>;
    if (starting === undefined) {
      await catchUp();
      chainReady = Promise.resolve();
    } else {
      // Until the chain is loaded, the index's reads use what the chain will show: its clock (the
      // replay catches up with the time the platform was stopped) and the policy at the last clean
      // stop, when nothing was journaled since.
      policy.observeBlock(expectedChainTime(db, journaledHead));
      const stopped = policyAtStop(db);
      if (stopped !== undefined && stopped.block === journaledHead && sync.syncedBlock === journaledHead) policy.remember(stopped.policy);
      const gate = starting;
      chainReady = gate.startup(async () => {
        // The caller gets the platform first: reading the checkpoint holds the event loop.
        await new Promise((resolve) => setImmediate(resolve));
        const loaded = await loadJournaledChain(db, genesisTime, genesisState, deployment, progress, (node) => gate.bind(node));
        // Handed over first: closing the platform closes it.
        gate.adopt(loaded);
        if (loaded.chainId !== gate.chainId) throw new Error(`the data directory belongs to chain ${gate.chainId}, the loaded chain is chain ${loaded.chainId}`);
        checkpoints = makeCheckpointer();
        if (options.blocks !== "automine") await chain.batchBlocks();
        await catchUp();
        gate.open();
      }).catch((error: unknown) => {
        gate.fail(error);
        throw error;
      });
      // Whoever awaits it sees the failure; nobody awaiting it must not crash the process.
      chainReady.catch(() => undefined);
    }
    return {
      ctx,
      services,
      routes,
      events,
      idempotency,
      totals: new IndexTotalsRepository(db),
      fresh,
      chainReady,
      chainWritable: () => (starting === undefined ? Promise.resolve() : starting.whenOpen()),
      get setupPending() {
        return meta.setupPending;
      },
      finishSetup() {
        meta.finishSetup();
      },
      operator,
      regulator,
      addresses: Object.freeze({ ...addresses }),
      syncTo: (block) => sync.upTo(block),
      act: (actor, contract, method, args) => act(ctx, actor, contract, method, args),
      read: <T>(contract: ContractName, method: string, args: unknown[] = []) => read<T>(ctx, contract, method, args),
      async close() {
        // A load under way is told to stop, and ends at its next chain call.
        starting?.stop();
        const loadedFine = await chainReady.then(
          () => true,
          () => false,
        );
        for (const t of timers) clearInterval(t);
        if (loadedFine) {
          await sync.upTo().catch(() => undefined);
          if (chain.mode === "local" && !inMemory) {
            await policy
              .get()
              .then((p) => keepPolicyAtStop(db, sync.syncedBlock, p))
              .catch((err: unknown) => logger.warn({ err }, "could not keep the policy for the next start"));
          }
          await checkpoints?.close(sync.syncedBlock).catch((err: unknown) => logger.warn({ err }, "chain checkpoint failed"));
        }
        await chain.close();
        await checkpointer?.stop();
        db.close();
        releaseLock();
      },
    };
  } catch (error) {
    await started?.close().catch(() => undefined);
    await checkpointer?.stop();
    db.close();
    releaseLock();
    throw error;
  }
}

/** Registers the operator or the regulator as a participant with a name. */
function ensurePlatformParticipant(repo: PlatformParticipantRepository, address: string, role: "Operator" | "Regulator", name: string): Actor {
  const row = repo.ensure(address, role, name, Math.floor(Date.now() / 1000));
  return {
    userId: row.user?.id ?? 0,
    username: row.user?.username ?? role.toLowerCase(),
    displayName: row.user?.displayName ?? row.name,
    address,
    role,
    name: row.name,
  };
}
