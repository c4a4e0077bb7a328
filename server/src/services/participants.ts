/**
 * Participants: onboarding (a signing key the platform holds, gas funding by the operator, the
 * regulator's admission on chain, a login), and the regulator's admission controls.
 */
import { parseEther, Wallet } from "ethers";
import type { z } from "zod";

import type { AdmitRequest, ParticipantQuery } from "../../../domain/api.js";
import { Role, type RoleName } from "../../../domain/enums.js";
import { AppError } from "../errors.js";
import { act, preflight, type ActResult } from "./actions.js";
import { checksummed } from "./addresses.js";
import type { AuthService } from "./auth.js";
import type { Actor, Ctx, WriteHooks } from "./context.js";
import { isoDateToUnix } from "./dates.js";
import { participantView, type ParticipantRow } from "./views.js";

/** Gas money each new participant receives from the operator (development chains). */
const GAS_FUNDING = parseEther("10");

export interface NewParticipant {
  name: string;
  role: Exclude<RoleName, "None">;
  tier?: number;
  admittedUntil: number;
  username?: string;
  password?: string;
  /** Use this key instead of a fresh one (demo seeding). */
  privateKey?: string;
}

export class ParticipantService {
  constructor(
    private readonly ctx: Ctx,
    private readonly auth: AuthService,
    private readonly operator: () => Pick<Actor, "address" | "role">,
  ) {}

  list(q: z.infer<typeof ParticipantQuery>) {
    const where = q.role === undefined ? "1" : "role = ?";
    const params = q.role === undefined ? [] : [q.role];
    const total = (this.ctx.db.prepare(`SELECT COUNT(*) AS n FROM participants WHERE ${where}`).get(...params) as { n: number }).n;
    const rows = this.ctx.db
      .prepare(`SELECT * FROM participants WHERE ${where} ORDER BY role, name LIMIT ? OFFSET ?`)
      .all(...params, q.limit, q.offset) as ParticipantRow[];
    return { items: rows.map(participantView), total, limit: q.limit, offset: q.offset };
  }

  get(address: string) {
    // The index stores checksummed addresses: an exact match is one primary-key lookup (NOCASE was not).
    const row = this.ctx.db.prepare("SELECT * FROM participants WHERE address = ?").get(checksummed(address)) as ParticipantRow | undefined;
    if (row === undefined) throw new AppError("NotFound", { what: `participant ${address}` });
    return participantView(row);
  }

  /** Onboards a participant from the API: see {onboard}. */
  admitFromRequest(regulator: Actor, input: z.infer<typeof AdmitRequest>) {
    return this.onboard(regulator, {
      name: input.name,
      role: input.role as NewParticipant["role"],
      tier: input.tier,
      admittedUntil: isoDateToUnix(input.admittedUntil),
      username: input.username,
      password: input.password,
    });
  }

  /**
   * Creates the participant's key, funds it with gas, has the regulator admit it on chain and
   * creates its login. Returns the new participant.
   */
  async onboard(regulator: Pick<Actor, "address" | "role">, p: NewParticipant) {
    if (p.username !== undefined) {
      const taken = this.ctx.db.prepare("SELECT 1 FROM users WHERE username = ?").get(p.username);
      if (taken !== undefined) {
        throw new AppError("ValidationFailed", { details: "username: is already taken" }, [
          { path: "username", rule: "unique", message: "is already taken" },
        ]);
      }
    }
    const wallet = p.privateKey === undefined ? Wallet.createRandom() : new Wallet(p.privateKey);
    const address = wallet.address;
    // A refused admission (expiry in the past, participant cap...) must leave nothing behind.
    await preflight(this.ctx, regulator, "SandboxController", "admit", [address, Role[p.role], p.admittedUntil]);
    this.ctx.db
      .prepare(
        `INSERT INTO participants(address, name, role, tier, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(address) DO UPDATE SET name = excluded.name, tier = excluded.tier`,
      )
      .run(address, p.name, p.role, p.tier ?? null, Math.floor(Date.now() / 1000));
    this.ctx.keys.put(address, wallet.privateKey);
    await this.#fund(address);
    await act(this.ctx, regulator, "SandboxController", "admit", [address, Role[p.role], p.admittedUntil]);
    if (p.username !== undefined && p.password !== undefined) {
      await this.auth.createUser(p.username, p.password, address, p.name);
    }
    return this.get(address);
  }

  renew(regulator: Actor, address: string, until: number, reason: string, hooks: WriteHooks = {}): Promise<ActResult> {
    const { address: account } = this.get(address);
    return act(this.ctx, regulator, "SandboxController", "renewAdmission", [account, until, reason], hooks);
  }

  remove(regulator: Actor, address: string, reason: string, hooks: WriteHooks = {}): Promise<ActResult> {
    const { address: account } = this.get(address);
    return act(this.ctx, regulator, "SandboxController", "remove", [account, reason], hooks);
  }

  setFrozen(regulator: Actor, address: string, frozen: boolean, reason: string, hooks: WriteHooks = {}): Promise<ActResult> {
    const { address: account } = this.get(address);
    return act(this.ctx, regulator, "SandboxController", frozen ? "freeze" : "unfreeze", [account, reason], hooks);
  }

  async #fund(address: string): Promise<void> {
    const operator = this.ctx.keys.wallet(this.operator().address);
    if (operator === undefined) throw new AppError("Internal", { reason: "no operator key" });
    if (await this.ctx.sender.gasIsFree()) return; // a zero-gas-price network: nothing to fund
    const receipt = await this.ctx.sender.send(operator, address, "0x", GAS_FUNDING);
    await this.ctx.sync.upTo(receipt.blockNumber);
  }
}
