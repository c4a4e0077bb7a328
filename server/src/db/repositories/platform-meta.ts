/**
 * What the platform records about itself in the meta table: the local chain's genesis time (the
 * journal replays onto the same genesis), its deployment, and whether the first start's setup
 * (the demo seed) finished.
 */
import type { Addresses } from "../../chain/contracts.js";
import { getMeta, setMeta, type Db } from "../database.js";

export interface StoredDeployment {
  addresses: Addresses;
  fromBlock: number;
  chainId: string;
}

const GENESIS = "genesis_time";
const DEPLOYMENT = "deployment";
/** "pending" from the deployment until the first start's setup is finished. */
const SETUP = "setup";

export class PlatformMetaRepository {
  constructor(private readonly db: Db) {}

  genesisTime(): number | undefined {
    const raw = getMeta(this.db, GENESIS);
    return raw === undefined ? undefined : Number(raw);
  }

  setGenesisTime(seconds: number): void {
    setMeta(this.db, GENESIS, String(seconds));
  }

  deployment(): StoredDeployment | undefined {
    const raw = getMeta(this.db, DEPLOYMENT);
    return raw === undefined ? undefined : (JSON.parse(raw) as StoredDeployment);
  }

  /** Records a new deployment, its setup pending, in one transaction. */
  recordDeployment(deployment: StoredDeployment): void {
    this.db.transaction(() => {
      setMeta(this.db, DEPLOYMENT, JSON.stringify(deployment));
      setMeta(this.db, SETUP, "pending");
    })();
  }

  get setupPending(): boolean {
    return getMeta(this.db, SETUP) === "pending";
  }

  finishSetup(): void {
    setMeta(this.db, SETUP, "done");
  }
}
