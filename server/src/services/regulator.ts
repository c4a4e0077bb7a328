/**
 * The regulator's sandbox controls on chain: policy limits and the pilot window (each with a
 * reason), pause and resume, the wind-down, and freezes of single receivables.
 */
import { Limit, type LimitName } from "../../../domain/enums.js";
import { InvoiceRepository } from "../db/repositories/invoices.js";
import type { ActResult } from "./actions.js";
import { calls } from "./calls.js";
import type { Actor, Ctx, WriteHooks } from "./context.js";
import { AppError } from "../errors.js";

export class RegulatorService {
  readonly #invoices: InvoiceRepository;

  constructor(private readonly ctx: Ctx) {
    this.#invoices = new InvoiceRepository(ctx.db);
  }

  setLimit(actor: Actor, limit: LimitName, value: string, reason: string, hooks: WriteHooks = {}): Promise<ActResult> {
    return calls(this.ctx, actor, hooks).SandboxController.setLimit(Limit[limit], BigInt(value), reason);
  }

  setPilotWindow(actor: Actor, start: number, end: number, reason: string, hooks: WriteHooks = {}): Promise<ActResult> {
    return calls(this.ctx, actor, hooks).SandboxController.setPilotWindow(start, end, reason);
  }

  pause(actor: Actor, reason: string, hooks: WriteHooks = {}): Promise<ActResult> {
    return calls(this.ctx, actor, hooks).SandboxController.pause(reason);
  }

  resume(actor: Actor, reason: string, hooks: WriteHooks = {}): Promise<ActResult> {
    return calls(this.ctx, actor, hooks).SandboxController.resume(reason);
  }

  startWindDown(actor: Actor, reason: string, hooks: WriteHooks = {}): Promise<ActResult> {
    return calls(this.ctx, actor, hooks).SandboxController.startWindDown(reason);
  }

  setReceivableFrozen(actor: Actor, invoiceId: string, frozen: boolean, reason: string, hooks: WriteHooks = {}): Promise<ActResult> {
    if (!this.#invoices.exists(invoiceId)) throw new AppError("InvoiceNotFound", { invoiceId });
    const ledger = calls(this.ctx, actor, hooks).ReceivableLedger;
    return frozen ? ledger.freezeReceivable(invoiceId, reason) : ledger.unfreezeReceivable(invoiceId, reason);
  }
}
