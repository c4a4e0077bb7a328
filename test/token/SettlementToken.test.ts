import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { network } from "hardhat";

import type { Sandbox } from "../helpers/fixtures.js";
import { confirmed, deploySandbox, FUNDING, YUAN } from "../helpers/fixtures.js";
import type { SettlementToken } from "../helpers/contracts.js";
import { finance } from "../sandbox/helpers.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const fixture = () => deploySandbox(connection);

/**
 * A token with its own controller and ledger, the agent not bound yet (nothing can be minted
 * before the binding names the controller whose operator mints).
 */
async function unboundToken() {
  const [operator, holder, other, regulator, outsider] = await ethers.getSigners();
  const token = (await ethers.deployContract("SettlementToken", [
    operator.address,
  ])) as unknown as SettlementToken;
  const controller = await ethers.deployContract("SandboxController", [regulator.address, operator.address]);
  const ledger = await ethers.deployContract("ReceivableLedger", [controller, token]);
  // The ledger's own account, so the tests can call `settle` as the agent directly.
  await networkHelpers.setBalance(await ledger.getAddress(), 10n ** 18n);
  const agent = await ethers.getImpersonatedSigner(await ledger.getAddress());
  return { token, controller, operator, regulator, holder, other, agent, outsider };
}

/** The same token bound to its ledger, with 1,000 yuan minted to a holder. */
async function standaloneToken() {
  const t = await unboundToken();
  await t.token.connect(t.operator).bindSettlementAgent(t.agent.address);
  await t.token.connect(t.operator).mint(t.holder.address, 1_000n * YUAN);
  return t;
}

describe("SettlementToken", function () {
  describe("metadata and wiring", function () {
    let sb: Sandbox;
    beforeEach(async function () {
      sb = await networkHelpers.loadFixture(fixture);
    });

    it("is the sandbox digital yuan, counted in fen (2 decimals)", async function () {
      expect(await sb.token.name()).to.equal("Sandbox Digital Yuan");
      expect(await sb.token.symbol()).to.equal("sdCNY");
      expect(await sb.token.decimals()).to.equal(2n);
    });

    it("the production deployment made signer 0 the deployer and the ledger the settlement agent", async function () {
      expect(await sb.token.deployer()).to.equal(sb.operator.address);
      expect(await sb.token.controller()).to.equal(await sb.controller.getAddress());
      expect(await sb.token.settlementAgent()).to.equal(await sb.ledger.getAddress());
      expect(await sb.ledger.settlementToken()).to.equal(await sb.token.getAddress());
    });

    it("the agent cannot be replaced", async function () {
      await expect(sb.token.connect(sb.operator).bindSettlementAgent(sb.outsider.address))
        .to.be.revertedWithCustomError(sb.token, "SettlementAgentAlreadyBound")
        .withArgs(await sb.ledger.getAddress());
    });

    it("the fixture minted the funding of every bank and core enterprise, and nothing else", async function () {
      for (const account of [...sb.buyers, ...sb.banks]) {
        expect(await sb.token.balanceOf(account.address)).to.equal(FUNDING);
      }
      expect(await sb.token.totalSupply()).to.equal(4n * FUNDING);
    });

    it("lifecycle settlement moves tokens without creating or destroying any; the ledger keeps none", async function () {
      const [s1] = sb.suppliers;
      const [c1] = sb.buyers;
      const [b1] = sb.banks;
      const face = 10_000n * YUAN;
      const id = await confirmed(sb, s1, c1, { amount: face });
      await finance(sb, s1, id, 0, b1, { rateBps: 600n });
      const advance = await sb.token.balanceOf(s1.address);
      expect(await sb.token.balanceOf(b1.address)).to.equal(FUNDING - advance);

      await expect(sb.ledger.connect(c1).pay(id, face)).to.changeTokenBalances(
        ethers,
        sb.token,
        [c1, b1, s1],
        [-face, face, 0n],
      );
      expect(await sb.token.totalSupply()).to.equal(4n * FUNDING);
      expect(await sb.token.balanceOf(await sb.ledger.getAddress())).to.equal(0n);
    });
  });

  describe("constructor", function () {
    it("rejects the zero operator", async function () {
      const factory = await ethers.getContractFactory("SettlementToken");
      await expect(ethers.deployContract("SettlementToken", [ethers.ZeroAddress]))
        .to.be.revertedWithCustomError(factory, "SettlementTokenUnauthorized")
        .withArgs(ethers.ZeroAddress);
    });

    it("starts with no supply and no agent", async function () {
      const token = await ethers.deployContract("SettlementToken", [
        (await ethers.getSigners())[0].address,
      ]);
      expect(await token.totalSupply()).to.equal(0n);
      expect(await token.settlementAgent()).to.equal(ethers.ZeroAddress);
    });
  });

  describe("standalone", function () {
    let token: SettlementToken;
    let operator: HardhatEthersSigner;
    let holder: HardhatEthersSigner;
    let other: HardhatEthersSigner;
    let agent: HardhatEthersSigner;
    let outsider: HardhatEthersSigner;
    const initial = 1_000n * YUAN;

    beforeEach(async function () {
      ({ token, operator, holder, other, agent, outsider } =
        await networkHelpers.loadFixture(standaloneToken));
    });

    describe("mint", function () {
      it("the operator mints: Transfer from zero, balance and supply grow", async function () {
        await expect(token.connect(operator).mint(other.address, 250n))
          .to.emit(token, "Transfer")
          .withArgs(ethers.ZeroAddress, other.address, 250n);
        expect(await token.balanceOf(other.address)).to.equal(250n);
        expect(await token.totalSupply()).to.equal(initial + 250n);
      });

      it("nobody else mints, not even a holder or the agent", async function () {
        for (const caller of [holder, agent, outsider]) {
          await expect(token.connect(caller).mint(caller.address, 1n))
            .to.be.revertedWithCustomError(token, "ParticipantNotAdmitted")
            .withArgs(caller.address);
        }
      });

      it("nobody mints before the agent names the controller", async function () {
        const t = await networkHelpers.loadFixture(unboundToken);
        await expect(t.token.connect(t.operator).mint(t.holder.address, 1n))
          .to.be.revertedWithCustomError(t.token, "SettlementTokenUnauthorized")
          .withArgs(t.operator.address);
      });

      it("rejects minting to the zero address", async function () {
        await expect(token.connect(operator).mint(ethers.ZeroAddress, 1n))
          .to.be.revertedWithCustomError(token, "ERC20InvalidReceiver")
          .withArgs(ethers.ZeroAddress);
      });
    });

    describe("bindSettlementAgent", function () {
      it("the deployer binds the agent once, and through it the controller: event and views", async function () {
        const t = await networkHelpers.loadFixture(unboundToken);
        await expect(t.token.connect(t.operator).bindSettlementAgent(t.agent.address))
          .to.emit(t.token, "SettlementAgentBound")
          .withArgs(t.agent.address, await t.controller.getAddress());
        expect(await t.token.settlementAgent()).to.equal(t.agent.address);
        expect(await t.token.controller()).to.equal(await t.controller.getAddress());
        await expect(t.token.connect(t.operator).bindSettlementAgent(t.other.address))
          .to.be.revertedWithCustomError(t.token, "SettlementAgentAlreadyBound")
          .withArgs(t.agent.address);
      });

      it("rejects the zero address", async function () {
        const t = await networkHelpers.loadFixture(unboundToken);
        await expect(t.token.connect(t.operator).bindSettlementAgent(ethers.ZeroAddress))
          .to.be.revertedWithCustomError(t.token, "SettlementTokenUnauthorized")
          .withArgs(ethers.ZeroAddress);
      });

      it("rejects anyone but the deployer", async function () {
        const t = await networkHelpers.loadFixture(unboundToken);
        for (const caller of [t.holder, t.agent, t.outsider]) {
          await expect(t.token.connect(caller).bindSettlementAgent(t.agent.address))
            .to.be.revertedWithCustomError(t.token, "SettlementTokenUnauthorized")
            .withArgs(caller.address);
        }
      });
    });

    describe("settle", function () {
      it("rejects every caller while no agent is bound", async function () {
        const t = await networkHelpers.loadFixture(unboundToken);
        for (const caller of [t.operator, t.agent]) {
          await expect(t.token.connect(caller).settle(t.holder.address, t.other.address, 1n))
            .to.be.revertedWithCustomError(t.token, "SettlementTokenUnauthorized")
            .withArgs(caller.address);
        }
      });

      describe("with an agent bound", function () {
        it("the agent moves funds without an allowance: Transfer event, supply unchanged", async function () {
          await expect(token.connect(agent).settle(holder.address, other.address, 300n))
            .to.emit(token, "Transfer")
            .withArgs(holder.address, other.address, 300n);
          expect(await token.balanceOf(holder.address)).to.equal(initial - 300n);
          expect(await token.balanceOf(other.address)).to.equal(300n);
          expect(await token.totalSupply()).to.equal(initial);
        });

        it("only the agent settles, not the operator nor the holder itself", async function () {
          for (const caller of [operator, holder, outsider]) {
            await expect(token.connect(caller).settle(holder.address, other.address, 1n))
              .to.be.revertedWithCustomError(token, "SettlementTokenUnauthorized")
              .withArgs(caller.address);
          }
        });

        it("fails when the payer does not hold the amount", async function () {
          await expect(token.connect(agent).settle(holder.address, other.address, initial + 1n))
            .to.be.revertedWithCustomError(token, "ERC20InsufficientBalance")
            .withArgs(holder.address, initial, initial + 1n);
        });

        it("cannot mint or burn through settle (zero sender or receiver)", async function () {
          await expect(token.connect(agent).settle(ethers.ZeroAddress, other.address, 1n))
            .to.be.revertedWithCustomError(token, "ERC20InvalidSender")
            .withArgs(ethers.ZeroAddress);
          await expect(token.connect(agent).settle(holder.address, ethers.ZeroAddress, 1n))
            .to.be.revertedWithCustomError(token, "ERC20InvalidReceiver")
            .withArgs(ethers.ZeroAddress);
        });
      });
    });

    describe("burn (ERC20Burnable)", function () {
      it("a holder burns its own tokens: Transfer to zero, supply shrinks", async function () {
        await expect(token.connect(holder).burn(400n))
          .to.emit(token, "Transfer")
          .withArgs(holder.address, ethers.ZeroAddress, 400n);
        expect(await token.balanceOf(holder.address)).to.equal(initial - 400n);
        expect(await token.totalSupply()).to.equal(initial - 400n);
      });

      it("cannot burn more than it holds", async function () {
        await expect(token.connect(other).burn(1n))
          .to.be.revertedWithCustomError(token, "ERC20InsufficientBalance")
          .withArgs(other.address, 0n, 1n);
      });

      it("burnFrom needs an allowance and spends it", async function () {
        await expect(token.connect(other).burnFrom(holder.address, 100n))
          .to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance")
          .withArgs(other.address, 0n, 100n);
        await token.connect(holder).approve(other.address, 150n);
        await expect(token.connect(other).burnFrom(holder.address, 100n))
          .to.emit(token, "Transfer")
          .withArgs(holder.address, ethers.ZeroAddress, 100n);
        expect(await token.allowance(holder.address, other.address)).to.equal(50n);
        expect(await token.totalSupply()).to.equal(initial - 100n);
      });
    });

    describe("transfers", function () {
      it("transfer moves the holder's own tokens", async function () {
        await expect(token.connect(holder).transfer(other.address, 123n)).to.changeTokenBalances(
          ethers,
          token,
          [holder, other],
          [-123n, 123n],
        );
      });

      it("transfer fails beyond the balance and to the zero address", async function () {
        await expect(token.connect(holder).transfer(other.address, initial + 1n))
          .to.be.revertedWithCustomError(token, "ERC20InsufficientBalance")
          .withArgs(holder.address, initial, initial + 1n);
        await expect(token.connect(holder).transfer(ethers.ZeroAddress, 1n))
          .to.be.revertedWithCustomError(token, "ERC20InvalidReceiver")
          .withArgs(ethers.ZeroAddress);
      });

      it("approve and transferFrom: Approval event, allowance spent, and no more than allowed", async function () {
        await expect(token.connect(holder).approve(other.address, 500n))
          .to.emit(token, "Approval")
          .withArgs(holder.address, other.address, 500n);
        await token.connect(other).transferFrom(holder.address, outsider.address, 200n);
        expect(await token.allowance(holder.address, other.address)).to.equal(300n);
        expect(await token.balanceOf(outsider.address)).to.equal(200n);
        await expect(token.connect(other).transferFrom(holder.address, outsider.address, 301n))
          .to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance")
          .withArgs(other.address, 300n, 301n);
      });

      it("an infinite allowance is not spent", async function () {
        await token.connect(holder).approve(other.address, ethers.MaxUint256);
        await token.connect(other).transferFrom(holder.address, outsider.address, 200n);
        expect(await token.allowance(holder.address, other.address)).to.equal(ethers.MaxUint256);
      });
    });
  });
});
