/**
 * Participants: onboarding (a signing key the platform holds, gas funding by the operator, the
 * regulator's admission on chain, a login), and the regulator's admission controls.
 */
import { parseEther, Wallet } from "ethers";
import type { z } from "zod";

import type { AdmitRequest, ParticipantQuery } from "../../../domain/api.js";
import { Role, type RoleName } from "../../../domain/enums.js";
import { ParticipantRepository } from "../db/repositories/participants.js";
import { UserRepository } from "../db/repositories/users.js";
import { AppError } from "../errors.js";
import { act, preflight, type ActResult } from "./actions.js";
import { checksummed } from "../chain/addresses.js";
import type { AuthService } from "./auth.js";
import type { Actor, Ctx, WriteHooks } from "./context.js";
import { isoDateToUnix } from "../../../domain/time.js";
import { participantView } from "./views.js";

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
  readonly #participants: ParticipantRepository;
  readonly #users: UserRepository;

  constructor(
    private readonly ctx: Ctx,
    private readonly auth: AuthService,
    private readonly operator: () => Pick<Actor, "address" | "role">,
  ) {
    this.#participants = new ParticipantRepository(ctx.db);
    this.#users = new UserRepository(ctx.db);
  }

  list(q: z.infer<typeof ParticipantQuery>) {
    const { rows, total } = this.#participants.list(q.role, q.limit, q.offset);
    return { items: rows.map(participantView), total, limit: q.limit, offset: q.offset };
  }

  get(address: string) {
    // The index stores checksummed addresses: an exact match is one primary-key lookup (NOCASE was not).
    const row = this.#participants.get(checksummed(address));
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
      if (this.#users.isTaken(p.username)) {
        throw new AppError("ValidationFailed", { details: "username: is already taken" }, [
          { path: "username", rule: "unique", message: "is already taken" },
        ]);
      }
    }
    const wallet = p.privateKey === undefined ? Wallet.createRandom() : new Wallet(p.privateKey);
    const address = wallet.address;
    // A refused admission (expiry in the past, participant cap...) must leave nothing behind.
    await preflight(this.ctx, regulator, "SandboxController", "admit", [address, Role[p.role], p.admittedUntil]);
    this.#participants.upsert(address, p.name, p.role, p.tier ?? null, Math.floor(Date.now() / 1000));
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
