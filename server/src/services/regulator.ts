/**
 * The regulator's sandbox controls on chain: policy limits and the pilot window (each with a
 * reason), pause and resume, the wind-down, and freezes of single receivables.
 */
import { Limit, type LimitName } from "../../../domain/enums.js";
import { InvoiceRepository } from "../db/repositories/invoices.js";
import { act, type ActResult } from "./actions.js";
import type { Actor, Ctx, WriteHooks } from "./context.js";
import { AppError } from "../errors.js";

export class RegulatorService {
  readonly #invoices: InvoiceRepository;

  constructor(private readonly ctx: Ctx) {
    this.#invoices = new InvoiceRepository(ctx.db);
  }

  setLimit(actor: Actor, limit: LimitName, value: string, reason: string, hooks: WriteHooks = {}): Promise<ActResult> {
    return act(this.ctx, actor, "SandboxController", "setLimit", [Limit[limit], BigInt(value), reason], hooks);
  }

  setPilotWindow(actor: Actor, start: number, end: number, reason: string, hooks: WriteHooks = {}): Promise<ActResult> {
    return act(this.ctx, actor, "SandboxController", "setPilotWindow", [start, end, reason], hooks);
  }

  pause(actor: Actor, reason: string, hooks: WriteHooks = {}): Promise<ActResult> {
    return act(this.ctx, actor, "SandboxController", "pause", [reason], hooks);
  }

  resume(actor: Actor, reason: string, hooks: WriteHooks = {}): Promise<ActResult> {
    return act(this.ctx, actor, "SandboxController", "resume", [reason], hooks);
  }

  startWindDown(actor: Actor, reason: string, hooks: WriteHooks = {}): Promise<ActResult> {
    return act(this.ctx, actor, "SandboxController", "startWindDown", [reason], hooks);
  }

  setReceivableFrozen(actor: Actor, invoiceId: string, frozen: boolean, reason: string, hooks: WriteHooks = {}): Promise<ActResult> {
    if (!this.#invoices.exists(invoiceId)) throw new AppError("InvoiceNotFound", { invoiceId });
    return act(this.ctx, actor, "ReceivableLedger", frozen ? "freezeReceivable" : "unfreezeReceivable", [invoiceId, reason], hooks);
  }
}
