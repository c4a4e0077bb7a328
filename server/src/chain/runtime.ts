/**
 * The chain the platform runs on: its own local Hardhat chain (in-process EDR, state in memory,
 * rebuilt from the journal at start) or an external EVM node given by SCF_RPC_URL (anvil, a
 * Hardhat node, a consortium network's member node). The platform's accounts (operator, first
 * regulator) are the first two the deployment signs with: generated keys funded at genesis (local
 * chain) or by a funder or the configured operator (external node), or, in a demo, the standard
 * development accounts 0 and 1.
 */
import { rm } from "node:fs/promises";
import type { Server } from "node:http";
import path from "node:path";

import type { AddressInfo } from "node:net";

import { HDNodeWallet, Mnemonic } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";

import SandboxModule from "../../../ignition/modules/Sandbox.js";
import { BatchingChain, type MinedBlock } from "./blocks.js";
import type { Db } from "../db/database.js";
import { ChainStateRepository } from "../db/repositories/chain-state.js";
import { dropCheckpoint, readCheckpointYielding, type Checkpoint } from "./checkpoint.js";
import { CheckpointRejected, continueAtCheckpoint, genesisTimeFor, withGenesisState } from "./checkpoint-load.js";
import type { Addresses } from "./contracts.js";
import { serveJsonRpc, type EndpointMode } from "./endpoint.js";
import { DEFAULT_TX_TIMEOUT_MS, NodeRpc } from "./node.js";
import { moveOnto, oneLoadAtATime, type RebaseOptions, type RebaseOutcome } from "./rebase.js";
import type { Eip1193 } from "./rpc.js";

/** The development mnemonic of Hardhat and anvil. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** Private key of development account `index`. */
export function devKey(index: number): string {
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), `m/44'/60'/0'/0/${index}`).privateKey;
}

export interface Deployment {
  addresses: Addresses;
  fromBlock: number;
}

/** Whether the platform's chain can be used yet (a start may load it in the background: see starting.ts). */
export interface ChainStatus {
  state: "loading" | "ready" | "failed";
  /** What the load is doing, or why it failed. */
  message: string;
}

export interface ChainRuntime {
  readonly mode: "local" | "external";
  readonly rpc: Eip1193;
  readonly chainId: bigint;
  /** Deploys and wires the contracts with the production Ignition module. */
  deploy(): Promise<Deployment>;
  /**
   * From now on, transactions sent together share a block (local chain: see BatchingChain; an
   * external node mines as it is configured to). Called once deployment and replay are done.
   */
  batchBlocks(): Promise<void>;
  /** A block the platform's local chain made and read right away, with its logs (once; see BatchingChain.takeMined). */
  takeMined?(number: number): MinedBlock | undefined;
  /**
   * Moves the platform onto a fresh chain loaded from `checkpoint`, which follows the journal up to
   * the head and then takes over under a bounded hold of the block maker (see rebase.ts and
   * BatchingChain.rebase), and closes the old one, which frees its history (local chain only).
   * Throws CheckpointRejected when the loaded state's root is not the checkpoint block's.
   */
  rebase?(checkpoint: Checkpoint, db: Db, options: RebaseOptions): Promise<RebaseOutcome>;
  /** Whether it can be used yet (absent: it is, from the start). */
  status?(): ChainStatus;
  /** Moves chain time forward (local chain only). */
  advanceTime(seconds: number): Promise<void>;
  /** Serves the chain's JSON-RPC on `port` in `mode` (local chain only; see endpoint.ts); returns the URL. */
  serveRpc(host: string, port: number, mode: EndpointMode): Promise<string | undefined>;
  close(): Promise<void>;
}

/**
 * How many whole block states the in-process chain (EDR) keeps in memory. By default it caches the
 * state of up to 100,000 blocks (measured: about 40 KB for a block of one lifecycle transaction),
 * which, not the chain itself, is what made a long run's memory grow (the 10,000-invoice
 * simulation: 4,032 MB, 1,233 MB with this bound). A state outside the cache is rebuilt from the
 * chain's per-block changes when asked for; the platform asks for the latest state, the pending
 * one and a reverted transaction's parent. EDR reads the (internal) variable when a chain starts;
 * a value already in the environment wins.
 */
export const CACHED_STATES = 64;

/** An account funded in the genesis block: its key and its balance in wei. */
export interface GenesisAccount {
  privateKey: string;
  balance: bigint;
}

/**
 * Starts the in-process chain. `genesisTime` (Unix seconds) fixes the genesis block's time: a
 * restart must reuse the first start's, so the journal's blocks replay with their own timestamps.
 * `accounts`: the only accounts funded at genesis, in order (the deployment signs with the first
 * two: operator, regulator); a restart must give the same, for the same genesis state. Default:
 * the 20 development accounts (tests of the chain layer). With `checkpoint`, the chain starts
 * from the checkpoint's state, at its block (see checkpoint-load.ts), or throws
 * CheckpointRejected when that state's root is not the block's. `blockMaker`: who makes the
 * block maker over the chain's node (a start answering early made it already: see starting.ts).
 * `sameTimestamps`: blocks may share their parent's time (the checkpoint replica's one-transaction
 * blocks, see block-capture.ts; never the platform's chain, whose blocks would then share seconds).
 */
export async function startLocalChain(
  genesisTime?: number,
  accounts?: GenesisAccount[],
  checkpoint?: Checkpoint,
  blockMaker: (node: Eip1193) => BatchingChain = (node) => new BatchingChain(node),
  sameTimestamps = false,
): Promise<ChainRuntime> {
  process.env.__EDR_MAX_CACHED_STATES ??= String(CACHED_STATES);
  const { network } = await import("hardhat");
  const genesis = checkpoint === undefined ? genesisTime : genesisTimeFor(checkpoint);
  const create = (genesis: number | undefined) => () =>
    network.create({
      override: {
        ...(genesis === undefined ? {} : { initialDate: new Date(genesis * 1000) }),
        ...(accounts === undefined ? {} : { accounts: accounts.map((a) => ({ privateKey: a.privateKey, balance: a.balance })) }),
        ...(sameTimestamps ? { allowBlocksWithSameTimestamp: true } : {}),
      },
    });
  const load = async (checkpoint: Checkpoint) => {
    const loaded = await withGenesisState(checkpoint, create(genesisTimeFor(checkpoint)));
    try {
      await continueAtCheckpoint(loaded.provider, checkpoint);
    } catch (error) {
      await loaded.close();
      throw error;
    }
    return loaded;
  };
  // In turn with every other load: a checkpoint's load patches EDR's createProvider while it runs.
  // Bound, not a closure over `checkpoint`: the closures below share this function's context for
  // the chain's life and would keep the checkpoint's whole state (every slot read) with it.
  const first = checkpoint === undefined ? create(genesis) : load.bind(undefined, checkpoint);
  let connection = await oneLoadAtATime(first);
  const rpc = blockMaker(connection.provider);
  const chainId = BigInt((await rpc.request({ method: "eth_chainId" })) as string);
  let server: Server | undefined;
  return {
    mode: "local",
    rpc,
    chainId,
    deploy: () => deployWith(connection, undefined),
    batchBlocks: () => rpc.start(),
    takeMined: (number) => rpc.takeMined(number),
    async rebase(checkpoint, db, options) {
      const next = await oneLoadAtATime(() => load(checkpoint));
      let outcome: RebaseOutcome | undefined;
      try {
        outcome = await moveOnto(rpc, next.provider, checkpoint.header.block, db, options);
      } finally {
        if (outcome?.done !== true) await next.close();
      }
      if (!outcome.done) return outcome;
      const old = connection;
      connection = next;
      await old.close();
      return outcome;
    },
    async advanceTime(seconds) {
      await rpc.request({ method: "evm_increaseTime", params: [Math.max(1, Math.floor(seconds))] });
      await rpc.request({ method: "evm_mine", params: [] });
    },
    async serveRpc(host, port, mode) {
      server = await serveJsonRpc(rpc, host, port, mode);
      const address = server.address();
      return typeof address === "object" && address !== null ? `http://${host}:${address.port}` : undefined;
    },
    async close() {
      await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
      await connection.close();
    },
  };
}

/** How the platform pays and waits on an external node (SCF_GAS_PRICE, SCF_TX_TIMEOUT_MS). */
export interface ExternalNodeOptions {
  gasPrice?: bigint;
  txTimeoutMs?: number;
}

/**
 * Starts the in-process chain of a data directory that has a journal: from its checkpoint when
 * there is one whose state's root is its block's (the journal's tail is then replayed on top, see
 * replayJournal), else at genesis (the whole journal is replayed), saying which and why.
 */
export async function resumeLocalChain(
  db: Db,
  genesisTime: number | undefined,
  accounts: GenesisAccount[] | undefined,
  progress: (message: string) => void,
  blockMaker?: (node: Eip1193) => BatchingChain,
): Promise<ChainRuntime> {
  const journaled = new ChainStateRepository(db).journaledHead();
  const { checkpoint, problem } = await readCheckpointYielding(db);
  if (checkpoint === undefined) {
    if (journaled > 0) progress(`No usable chain checkpoint (${problem}): the whole journal (${journaled} blocks) is replayed.`);
    return startLocalChain(genesisTime, accounts, undefined, blockMaker);
  }
  const { block } = checkpoint.header;
  progress(`Loading the chain checkpoint at block ${block} of ${journaled} (${checkpoint.accounts.length} accounts, ${checkpoint.slots} storage slots)...`);
  try {
    const chain = await startLocalChain(genesisTime, accounts, checkpoint, blockMaker);
    progress(`Checkpoint loaded: the state root of block ${block} is verified; the journal's ${journaled - block} blocks after it are replayed.`);
    return chain;
  } catch (error) {
    if (!(error instanceof CheckpointRejected)) throw error;
    progress(`The chain checkpoint at block ${block} is not usable (${error.message}): it is dropped and the whole journal (${journaled} blocks) is replayed.`);
    dropCheckpoint(db);
    return startLocalChain(genesisTime, accounts, undefined, blockMaker);
  }
}

/**
 * Connects to the external node at `url`. `signers`: the operator's and the regulator's keys,
 * which deploy (they must hold gas on that node, or the network's gas price be zero). The node's
 * own accounts are never used, nor any development method (see NodeRpc).
 */
export async function connectExternalChain(
  url: string,
  signers: { operator: string; regulator: string },
  options: ExternalNodeOptions = {},
): Promise<ChainRuntime> {
  const rpc = new NodeRpc(url, { gasPrice: options.gasPrice, txTimeoutMs: options.txTimeoutMs ?? DEFAULT_TX_TIMEOUT_MS });
  let chainId: bigint;
  try {
    chainId = BigInt((await rpc.request({ method: "eth_chainId" })) as string);
  } catch (error) {
    throw new Error(`cannot reach the EVM node at ${url}: ${(error as Error).message}`, { cause: error });
  }
  return {
    mode: "external",
    rpc,
    chainId,
    async deploy() {
      // Ignition signs with the platform's two keys and talks to the node through a loopback
      // endpoint onto the guarded client, so none of its requests reaches the node unchecked
      // (it asks hardhat_getAutomine, answered "method not found" as by a production node).
      const relay = await serveJsonRpc(rpc, "127.0.0.1", 0, "write");
      try {
        const { port } = relay.address() as AddressInfo;
        const { network } = await import("hardhat");
        const connection = await network.create({
          network: "localhost",
          override: {
            url: `http://127.0.0.1:${port}`,
            accounts: [signers.operator, signers.regulator],
            // Ignition reads the node's fees itself (zero on a zero-base-fee network); a configured price wins.
            ...(options.gasPrice === undefined ? {} : { ignition: { maxFeePerGas: options.gasPrice, maxPriorityFeePerGas: options.gasPrice } }),
          },
        });
        try {
          // One confirmation: the platform's index follows the node from the deployment block. Its
          // blocks are looked for often: each of the deployment's batches waits for the next one.
          return await deployWith(connection, `scf-sandbox-${chainId}-${Date.now()}`, { requiredConfirmations: 1, blockPollingInterval: 200 });
        } finally {
          await connection.close();
        }
      } finally {
        await new Promise<void>((resolve) => {
          relay.close(() => resolve());
          relay.closeAllConnections();
        });
      }
    },
    async batchBlocks() {},
    async advanceTime() {
      throw new Error("chain time can only be changed on the platform's own local chain, not on an external node (SCF_RPC_URL)");
    },
    async serveRpc() {
      return undefined;
    },
    async close() {},
  };
}

async function deployWith(connection: NetworkConnection, deploymentId: string | undefined, config: object = {}): Promise<Deployment> {
  const { ignition } = connection as unknown as {
    ignition: { deploy: (m: typeof SandboxModule, o: object) => Promise<Record<string, { getAddress(): Promise<string> }>> };
  };
  const before = Number((await connection.provider.request({ method: "eth_blockNumber" })) as string);
  const deployed = await ignition.deploy(SandboxModule, { displayUi: false, deploymentId, config });
  if (deploymentId !== undefined) {
    // The platform's database records the deployment; Ignition's journal on disk is not needed.
    const { config } = await import("hardhat");
    await rm(path.join(config.paths.root, "ignition", "deployments", deploymentId), { recursive: true, force: true });
  }
  return {
    addresses: {
      SettlementToken: await deployed.token.getAddress(),
      SandboxController: await deployed.controller.getAddress(),
      ReceivableLedger: await deployed.ledger.getAddress(),
    },
    fromBlock: before + 1,
  };
}
