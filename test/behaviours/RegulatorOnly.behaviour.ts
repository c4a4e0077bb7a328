/**
 * Shared behaviour of every regulator-only function of the sandbox controls (DESIGN.md section 2:
 * only the regulator admits, removes, sets the policy, pauses, freezes, starts the wind-down; and
 * section 4: every policy change carries the regulator's reason).
 *
 * `send(sb, caller, reason)` must send a call that the fixture's regulator could make
 * successfully, so that each case below fails only because of the caller (or the reason).
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import { expect } from "chai";
import type { ContractTransactionResponse } from "ethers";

import type { Sandbox } from "../helpers/fixtures.js";
import { Role } from "../helpers/fixtures.js";
import { admitRegulator, atNextBlock, REASON } from "../sandbox/helpers.js";

export interface RegulatorOnlyEnv {
  sb: Sandbox;
  ethers: HardhatEthers;
  helpers: NetworkHelpers;
  /** Accounts the fixture never admitted, free for a second regulator. */
  spare: HardhatEthersSigner[];
}

export type RegulatorCall = (
  sb: Sandbox,
  caller: HardhatEthersSigner,
  reason: string,
) => Promise<ContractTransactionResponse>;

export function shouldBeRegulatorOnly(
  env: () => RegulatorOnlyEnv,
  send: RegulatorCall,
  { takesReason = true }: { takesReason?: boolean } = {},
): void {
  describe("regulator only", function () {
    it("rejects an account that was never admitted", async function () {
      const { sb } = env();
      await expect(send(sb, sb.outsider, REASON))
        .to.be.revertedWithCustomError(sb.controller, "ParticipantNotAdmitted")
        .withArgs(sb.outsider.address);
    });

    it("rejects a participant with another role (supplier, core enterprise, bank, operator)", async function () {
      const { sb } = env();
      const others: [HardhatEthersSigner, number][] = [
        [sb.suppliers[0], Role.Supplier],
        [sb.buyers[0], Role.CoreEnterprise],
        [sb.banks[0], Role.Bank],
        [sb.operator, Role.Operator],
      ];
      for (const [caller, role] of others) {
        await expect(send(sb, caller, REASON))
          .to.be.revertedWithCustomError(sb.controller, "ParticipantRoleMismatch")
          .withArgs(caller.address, Role.Regulator, role);
      }
    });

    it("rejects a frozen regulator", async function () {
      const { sb, spare } = env();
      const second = await admitRegulator(sb, spare[0]);
      await sb.controller.connect(second).freeze(sb.regulator.address, REASON);
      await expect(send(sb, sb.regulator, REASON))
        .to.be.revertedWithCustomError(sb.controller, "ParticipantIsFrozen")
        .withArgs(sb.regulator.address);
    });

    it("rejects a regulator whose admission has expired", async function () {
      const { sb, helpers, spare } = env();
      const until = BigInt(await helpers.time.latest()) + 3_600n;
      const second = await admitRegulator(sb, spare[0], until);
      await helpers.time.increaseTo(until);
      const now = await atNextBlock(helpers);
      await expect(send(sb, second, REASON))
        .to.be.revertedWithCustomError(sb.controller, "ParticipantAdmissionExpired")
        .withArgs(second.address, until, now);
    });

    it("rejects a regulator that was removed", async function () {
      const { sb, spare } = env();
      const second = await admitRegulator(sb, spare[0]);
      await sb.controller.connect(sb.regulator).remove(second.address, REASON);
      await expect(send(sb, second, REASON))
        .to.be.revertedWithCustomError(sb.controller, "ParticipantNotAdmitted")
        .withArgs(second.address);
    });

    it("accepts any other active regulator", async function () {
      const { sb, ethers, spare } = env();
      const second = await admitRegulator(sb, spare[0]);
      await expect(send(sb, second, REASON)).not.to.revert(ethers);
    });

    if (takesReason) {
      it("requires a reason", async function () {
        const { sb } = env();
        await expect(send(sb, sb.regulator, "")).to.be.revertedWithCustomError(
          sb.controller,
          "ReasonRequired",
        );
      });
    }
  });
}
