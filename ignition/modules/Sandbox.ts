import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The whole sandbox, deployed and wired: the settlement token, the regulator's controller and the
 * receivable ledger, with the ledger bound as the controller's only exposure recorder and as the
 * token's settlement agent. Account 0 is the operator (it deploys and binds), account 1 the first
 * regulator; both are admitted by the controller's constructor.
 */
export default buildModule("Sandbox", (m) => {
  const operator = m.getAccount(0);
  const regulator = m.getAccount(1);

  const token = m.contract("SettlementToken", [operator], { from: operator });
  const controller = m.contract("SandboxController", [regulator, operator], { from: operator });
  const ledger = m.contract("ReceivableLedger", [controller, token], { from: operator });

  m.call(controller, "bindLedger", [ledger], { from: operator });
  m.call(token, "bindSettlementAgent", [ledger], { from: operator });

  return { token, controller, ledger };
});
