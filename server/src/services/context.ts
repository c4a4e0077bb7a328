/**
 * What every service works with: the database, the chain and the platform's keys. The HTTP app
 * and the simulator build one context and call the same services.
 */
import type { Logger } from "pino";

import type { RoleName } from "../../../domain/enums.js";
import type { Addresses } from "../chain/contracts.js";
import type { IndexedEvent } from "../chain/indexer.js";
import type { KeyStore } from "../chain/keys.js";
import type { ChainRuntime } from "../chain/runtime.js";
import type { OnSigned, TxSender } from "../chain/sender.js";
import type { ChainSync } from "../chain/sync.js";
import type { Db } from "../db/database.js";

/** Who is acting: a signed-in user, acting for exactly one participant. */
export interface Actor {
  userId: number;
  username: string;
  displayName: string;
  address: string;
  role: RoleName;
  name: string;
}

/** Hooks a write can report to: the idempotency record learns the transaction before it is sent. */
export interface WriteHooks {
  /** Runs once a transaction is signed, before it is sent: the send waits for it (see TxSender). */
  onSigned?: OnSigned;
}

export interface Ctx {
  db: Db;
  chain: ChainRuntime;
  keys: KeyStore;
  /** Fixed at start (StartOptions.sender): never replaced. */
  readonly sender: TxSender;
  sync: ChainSync;
  addresses: Addresses;
  logger: Logger;
  /** Events committed by the index, for live updates. */
  onEvents(listener: (events: IndexedEvent[]) => void): () => void;
  /** The JSON-RPC URL of the local chain, when served. */
  rpcUrl: string | null;
}
