/**
 * The sandbox rules of DESIGN.md section 4, as shared behaviours run over every lifecycle action of
 * the ledger (see LifecycleActions.ts): admission, the global pause, the pilot window, the
 * wind-down and the regulator's freeze of a receivable.
 *
 * Each behaviour takes `ctx()`, which returns the sandbox prepared for the action (the action's
 * `send()` would succeed), and changes exactly one thing before sending.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import { expect } from "chai";

import type { Sandbox } from "../helpers/fixtures.js";
import { atNextBlock, MAX_UINT32, nextBlockAt, REASON } from "../sandbox/helpers.js";
import type { LifecycleAction, Prepared } from "./LifecycleActions.js";

export interface RuleContext extends Prepared {
  sb: Sandbox;
  ethers: HardhatEthers;
  helpers: NetworkHelpers;
}

type Ctx = () => RuleContext;

async function expectSuccess(action: LifecycleAction, c: RuleContext): Promise<void> {
  await expect(c.send()).to.emit(c.sb.ledger, action.event);
}

/** Admission: the actor must be admitted, in its role, unfrozen and unexpired. */
export function shouldRequireActiveParticipant(action: LifecycleAction, ctx: Ctx): void {
  describe("requires an active participant", function () {
    it("an account that was never admitted is rejected", async function () {
      const c = ctx();
      const { name, args } = action.outsider(c.sb, c);
      await expect(c.send(c.sb.outsider))
        .to.be.revertedWithCustomError(c.sb.ledger, name)
        .withArgs(...args);
    });

    if (action.wrongRole) {
      it("a participant with another role is rejected", async function () {
        const c = ctx();
        const { caller, error } = action.wrongRole!(c.sb);
        await expect(c.send(caller))
          .to.be.revertedWithCustomError(c.sb.ledger, error.name)
          .withArgs(...error.args);
      });
    }

    it("a frozen actor is rejected until the regulator unfreezes it", async function () {
      const c = ctx();
      await c.sb.controller.connect(c.sb.regulator).freeze(c.actor.address, REASON);
      await expect(c.send())
        .to.be.revertedWithCustomError(c.sb.ledger, "ParticipantIsFrozen")
        .withArgs(c.actor.address);
      await c.sb.controller.connect(c.sb.regulator).unfreeze(c.actor.address, REASON);
      await expectSuccess(action, c);
    });

    it("the actor still acts on the last second of its admission", async function () {
      const c = ctx();
      const until = BigInt(await c.helpers.time.latest()) + 3_600n;
      await c.sb.controller.connect(c.sb.regulator).renewAdmission(c.actor.address, until, REASON);
      await nextBlockAt(c.helpers, until);
      await expectSuccess(action, c);
    });

    if (action.actsAfterAdmissionEnds) {
      it("an actor whose admission expired still settles", async function () {
        const c = ctx();
        const until = BigInt(await c.helpers.time.latest()) + 3_600n;
        await c.sb.controller
          .connect(c.sb.regulator)
          .renewAdmission(c.actor.address, until, REASON);
        await c.helpers.time.increaseTo(until + 1n);
        await expectSuccess(action, c);
      });

      it("an actor removed from the sandbox still settles", async function () {
        const c = ctx();
        await c.sb.controller.connect(c.sb.regulator).remove(c.actor.address, REASON);
        await expectSuccess(action, c);
      });
    } else {
      it("an actor whose admission expired is rejected, with the end and the time", async function () {
        const c = ctx();
        const until = BigInt(await c.helpers.time.latest()) + 3_600n;
        await c.sb.controller
          .connect(c.sb.regulator)
          .renewAdmission(c.actor.address, until, REASON);
        await c.helpers.time.increaseTo(until);
        const now = await atNextBlock(c.helpers);
        await expect(c.send())
          .to.be.revertedWithCustomError(c.sb.ledger, "ParticipantAdmissionExpired")
          .withArgs(c.actor.address, until, now);
      });

      it("an actor removed from the sandbox is rejected as not admitted", async function () {
        const c = ctx();
        await c.sb.controller.connect(c.sb.regulator).remove(c.actor.address, REASON);
        await expect(c.send())
          .to.be.revertedWithCustomError(c.sb.ledger, "ParticipantNotAdmitted")
          .withArgs(c.actor.address);
      });
    }
  });
}

/** Circuit breaker: the pause stops every lifecycle step; it works again after resume. */
export function shouldStopWhenPaused(action: LifecycleAction, ctx: Ctx): void {
  describe("stops while the sandbox is paused", function () {
    it("fails with SandboxIsPaused, and works again after resume", async function () {
      const c = ctx();
      await c.sb.controller.connect(c.sb.regulator).pause(REASON);
      await expect(c.send()).to.be.revertedWithCustomError(c.sb.ledger, "SandboxIsPaused");
      await c.sb.controller.connect(c.sb.regulator).resume(REASON);
      await expectSuccess(action, c);
    });
  });
}

/** Issuance and financing happen only inside the pilot window, both ends included. */
export function shouldRespectPilotWindow(action: LifecycleAction, ctx: Ctx): void {
  describe("happens only inside the pilot window", function () {
    async function windowAround(
      c: RuleContext,
      fromNow: bigint,
      length: bigint,
    ): Promise<[bigint, bigint]> {
      const now = BigInt(await c.helpers.time.latest());
      const [start, end] = [now + fromNow, now + fromNow + length];
      await c.sb.controller.connect(c.sb.regulator).setPilotWindow(start, end, REASON);
      return [start, end];
    }

    it("fails before the start with OutsidePilotWindow(start, end, now)", async function () {
      const c = ctx();
      const [start, end] = await windowAround(c, 1_000n, 1_000n);
      const now = await atNextBlock(c.helpers);
      await expect(c.send())
        .to.be.revertedWithCustomError(c.sb.ledger, "OutsidePilotWindow")
        .withArgs(start, end, now);
    });

    it("works at the start, which is included", async function () {
      const c = ctx();
      const [start] = await windowAround(c, 1_000n, 1_000n);
      await nextBlockAt(c.helpers, start);
      await expectSuccess(action, c);
    });

    it("works at the end, which is included", async function () {
      const c = ctx();
      const [, end] = await windowAround(c, -100n, 200n);
      await nextBlockAt(c.helpers, end);
      await expectSuccess(action, c);
    });

    it("fails after the end with OutsidePilotWindow(start, end, now)", async function () {
      const c = ctx();
      const [start, end] = await windowAround(c, -100n, 200n);
      await c.helpers.time.increaseTo(end);
      const now = await atNextBlock(c.helpers);
      await expect(c.send())
        .to.be.revertedWithCustomError(c.sb.ledger, "OutsidePilotWindow")
        .withArgs(start, end, now);
    });
  });
}

/** After the pilot window, settlement and housekeeping continue. */
export function shouldContinueAfterPilotWindow(action: LifecycleAction, ctx: Ctx): void {
  it("continues after the pilot window has ended", async function () {
    const c = ctx();
    const now = BigInt(await c.helpers.time.latest());
    await c.sb.controller.connect(c.sb.regulator).setPilotWindow(0n, now + 1n, REASON);
    await c.helpers.time.increase(60n);
    await expectSuccess(action, c);
  });

  it("continues before a pilot window has started", async function () {
    const c = ctx();
    await c.sb.controller
      .connect(c.sb.regulator)
      .setPilotWindow(MAX_UINT32 - 1n, MAX_UINT32, REASON);
    await expectSuccess(action, c);
  });
}

/** The wind-down stops all new issuance and financing, for good. */
export function shouldStopInWindDown(action: LifecycleAction, ctx: Ctx): void {
  it("stops in the wind-down with SandboxWindingDown", async function () {
    const c = ctx();
    await c.sb.controller.connect(c.sb.regulator).startWindDown(REASON);
    await expect(c.send()).to.be.revertedWithCustomError(c.sb.ledger, "SandboxWindingDown");
  });
}

/** In the wind-down, receivables keep settling and housekeeping goes on. */
export function shouldContinueInWindDown(action: LifecycleAction, ctx: Ctx): void {
  it("continues in the wind-down", async function () {
    const c = ctx();
    await c.sb.controller.connect(c.sb.regulator).startWindDown(REASON);
    await expectSuccess(action, c);
  });
}

/** The regulator's freeze of one receivable stops its pieces from moving, being financed or paid. */
export function shouldStopWhenReceivableFrozen(action: LifecycleAction, ctx: Ctx): void {
  it("stops while the receivable is frozen (ReceivableIsFrozen), and works again once unfrozen", async function () {
    const c = ctx();
    await c.sb.ledger.connect(c.sb.regulator).freezeReceivable(c.invoiceId!, REASON);
    await expect(c.send())
      .to.be.revertedWithCustomError(c.sb.ledger, "ReceivableIsFrozen")
      .withArgs(c.invoiceId);
    await c.sb.ledger.connect(c.sb.regulator).unfreezeReceivable(c.invoiceId!, REASON);
    await expectSuccess(action, c);
  });
}

/** Steps that neither move, finance nor pay a piece go on while the receivable is frozen. */
export function shouldContinueWhenReceivableFrozen(action: LifecycleAction, ctx: Ctx): void {
  it("continues while the receivable is frozen (nothing moves, is financed or paid)", async function () {
    const c = ctx();
    await c.sb.ledger.connect(c.sb.regulator).freezeReceivable(c.invoiceId!, REASON);
    await expectSuccess(action, c);
  });
}

/** Every sandbox rule that applies to `action`, chosen by its kind. */
export function shouldFollowSandboxRules(action: LifecycleAction, ctx: Ctx): void {
  shouldRequireActiveParticipant(action, ctx);
  shouldStopWhenPaused(action, ctx);
  if (action.kind === "issuance") {
    shouldRespectPilotWindow(action, ctx);
    shouldStopInWindDown(action, ctx);
  } else {
    describe(`continues outside issuance (${action.kind})`, function () {
      shouldContinueAfterPilotWindow(action, ctx);
      shouldContinueInWindDown(action, ctx);
    });
  }
  if (action.name !== "submitInvoice") {
    describe("receivable freeze", function () {
      if (action.stoppedByReceivableFreeze) shouldStopWhenReceivableFrozen(action, ctx);
      else shouldContinueWhenReceivableFrozen(action, ctx);
    });
  }
}
