/**
 * Every lifecycle action of the receivable ledger (DESIGN.md section 3), modelled so that the
 * sandbox rules of section 4 can be run over each of them by the shared behaviours in
 * SandboxRules.behaviour.ts.
 *
 * `prepare(sb, helpers)` brings a fresh sandbox to the state just before the action and returns
 * `send(from?)`, which sends the action from `from` (the legitimate actor by default). In the
 * prepared state, `send()` succeeds; each behaviour changes one thing and asserts what the actor
 * sees.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import type { ContractTransactionResponse } from "ethers";

import type { Sandbox } from "../helpers/fixtures.js";
import { confirmed, DAY, DOC_HASH, Limit, Role, setLimit, submit } from "../helpers/fixtures.js";
import { finance, nextInvoiceNumber, REASON, requestFinancing } from "../sandbox/helpers.js";
import { ANY_RATE, approveReviewed } from "../helpers/fixtures.js";

export const FACE = 100_000n;

export interface Prepared {
  /** The account that legitimately sends the action. */
  actor: HardhatEthersSigner;
  send: (from?: HardhatEthersSigner) => Promise<ContractTransactionResponse>;
  /** The receivable the action works on (absent for a submission: it does not exist yet). */
  invoiceId?: string;
}

/** A custom error and its arguments, as the ledger raises it. */
export interface ExpectedError {
  name: string;
  args: unknown[];
}

/**
 * - `issuance`: creates or finances a receivable. Stops in the wind-down and outside the pilot
 *   window (DESIGN.md section 4, "Pilot window").
 * - `settlement`: pays or recovers what is owed. Continues in the wind-down and after the window.
 * - `housekeeping`: neither; the sandbox pause is the only state rule that stops it.
 */
export type ActionKind = "issuance" | "settlement" | "housekeeping";

export interface LifecycleAction {
  name: string;
  /** The role of the actor, as the sandbox checks it. */
  role: number;
  kind: ActionKind;
  /** The event a successful action emits. */
  event: string;
  /**
   * What an account that was never admitted sees. For most steps the ledger first checks that the
   * caller is the invoice's buyer, the piece's holder or the financing bank, and that check comes
   * before the sandbox is consulted; only where the caller is not tied to the receivable (a new
   * submission, a keeper's mark) does the sandbox's ParticipantNotAdmitted come first.
   */
  outsider: (sb: Sandbox, p: Prepared) => ExpectedError;
  /** What an admitted account with another role sees, when the sandbox is the first to tell. */
  wrongRole?: (sb: Sandbox) => { caller: HardhatEthersSigner; error: ExpectedError };
  /**
   * Settlement continues after an admission ends: a removed or expired buyer still pays
   * (IReceivableLedger.pay). Everything else needs an unexpired admission.
   */
  actsAfterAdmissionEnds: boolean;
  /** Whether the regulator's freeze of the receivable stops the action (ReceivableIsFrozen). */
  stoppedByReceivableFreeze: boolean;
  prepare: (sb: Sandbox, helpers: NetworkHelpers) => Promise<Prepared>;
}

const notBuyer = (sb: Sandbox, p: Prepared): ExpectedError => ({
  name: "NotInvoiceBuyer",
  args: [p.invoiceId, sb.buyers[0].address, sb.outsider.address],
});
const notHolder =
  (holder: (sb: Sandbox) => HardhatEthersSigner) =>
  (sb: Sandbox, p: Prepared): ExpectedError => ({
    name: "NotPieceHolder",
    args: [p.invoiceId, 0n, holder(sb).address, sb.outsider.address],
  });
const notBank = (sb: Sandbox, p: Prepared): ExpectedError => ({
  name: "NotFinancingBank",
  args: [p.invoiceId, 0n, sb.banks[0].address, sb.outsider.address],
});

export const submitInvoice: LifecycleAction = {
  name: "submitInvoice",
  role: Role.Supplier,
  kind: "issuance",
  event: "InvoiceSubmitted",
  outsider: (sb) => ({ name: "ParticipantNotAdmitted", args: [sb.outsider.address] }),
  wrongRole: (sb) => ({
    caller: sb.banks[0],
    error: {
      name: "ParticipantRoleMismatch",
      args: [sb.banks[0].address, Role.Supplier, Role.Bank],
    },
  }),
  actsAfterAdmissionEnds: false,
  stoppedByReceivableFreeze: false,
  prepare: async (sb, helpers) => {
    const [seller] = sb.suppliers;
    const now = BigInt(await helpers.time.latest());
    const number = nextInvoiceNumber("RULES");
    const [issue, due] = [now - DAY, now + 90n * DAY];
    return {
      actor: seller,
      send: (from = seller) =>
        sb.ledger
          .connect(from)
          .submitInvoice(sb.buyers[0].address, number, FACE, issue, due, DOC_HASH),
    };
  },
};

export const confirmInvoice: LifecycleAction = {
  name: "confirmInvoice",
  role: Role.CoreEnterprise,
  kind: "issuance",
  event: "InvoiceConfirmed",
  outsider: notBuyer,
  actsAfterAdmissionEnds: false,
  stoppedByReceivableFreeze: true,
  prepare: async (sb) => {
    const [buyer] = sb.buyers;
    const invoiceId = await submit(sb, sb.suppliers[0], buyer, { amount: FACE });
    return {
      actor: buyer,
      invoiceId,
      send: (from = buyer) => sb.ledger.connect(from).confirmInvoice(invoiceId),
    };
  },
};

export const disputeInvoice: LifecycleAction = {
  name: "disputeInvoice",
  role: Role.CoreEnterprise,
  kind: "housekeeping",
  event: "InvoiceDisputed",
  outsider: notBuyer,
  actsAfterAdmissionEnds: false,
  stoppedByReceivableFreeze: false,
  prepare: async (sb) => {
    const [buyer] = sb.buyers;
    const invoiceId = await submit(sb, sb.suppliers[0], buyer, { amount: FACE });
    return {
      actor: buyer,
      invoiceId,
      send: (from = buyer) => sb.ledger.connect(from).disputeInvoice(invoiceId, REASON),
    };
  },
};

export const transferPiece: LifecycleAction = {
  name: "transferPiece",
  role: Role.Supplier,
  kind: "housekeeping",
  event: "PieceTransferred",
  outsider: notHolder((sb) => sb.suppliers[0]),
  actsAfterAdmissionEnds: false,
  stoppedByReceivableFreeze: true,
  prepare: async (sb) => {
    const [holder, next] = sb.suppliers;
    const invoiceId = await confirmed(sb, holder, sb.buyers[0], { amount: FACE });
    return {
      actor: holder,
      invoiceId,
      send: (from = holder) =>
        sb.ledger.connect(from).transferPiece(invoiceId, 0, next.address, FACE / 4n),
    };
  },
};

export const requestFinancingAction: LifecycleAction = {
  name: "requestFinancing",
  role: Role.Supplier,
  kind: "issuance",
  event: "FinancingRequested",
  outsider: notHolder((sb) => sb.suppliers[0]),
  actsAfterAdmissionEnds: false,
  stoppedByReceivableFreeze: true,
  prepare: async (sb) => {
    const [holder] = sb.suppliers;
    const invoiceId = await confirmed(sb, holder, sb.buyers[0], { amount: FACE });
    return {
      actor: holder,
      invoiceId,
      send: (from = holder) =>
        sb.ledger.connect(from).requestFinancing(invoiceId, 0, sb.banks[0].address, true, ANY_RATE),
    };
  },
};

export const cancelFinancing: LifecycleAction = {
  name: "cancelFinancing",
  role: Role.Supplier,
  kind: "housekeeping",
  event: "FinancingCancelled",
  outsider: notHolder((sb) => sb.suppliers[0]),
  actsAfterAdmissionEnds: false,
  stoppedByReceivableFreeze: false,
  prepare: async (sb) => {
    const [holder] = sb.suppliers;
    const invoiceId = await confirmed(sb, holder, sb.buyers[0], { amount: FACE });
    await requestFinancing(sb, holder, invoiceId, 0, sb.banks[0]);
    return {
      actor: holder,
      invoiceId,
      send: (from = holder) => sb.ledger.connect(from).cancelFinancing(invoiceId, 0),
    };
  },
};

export const approveFinancing: LifecycleAction = {
  name: "approveFinancing",
  role: Role.Bank,
  kind: "issuance",
  event: "FinancingApproved",
  outsider: notBank,
  actsAfterAdmissionEnds: false,
  stoppedByReceivableFreeze: true,
  prepare: async (sb) => {
    const [bank] = sb.banks;
    const invoiceId = await confirmed(sb, sb.suppliers[0], sb.buyers[0], { amount: FACE });
    await requestFinancing(sb, sb.suppliers[0], invoiceId, 0, bank);
    return {
      actor: bank,
      invoiceId,
      send: (from = bank) => approveReviewed(sb.ledger, from, invoiceId, 0, 500n),
    };
  },
};

export const rejectFinancing: LifecycleAction = {
  name: "rejectFinancing",
  role: Role.Bank,
  kind: "housekeeping",
  event: "FinancingRejected",
  outsider: notBank,
  actsAfterAdmissionEnds: false,
  stoppedByReceivableFreeze: false,
  prepare: async (sb) => {
    const [bank] = sb.banks;
    const invoiceId = await confirmed(sb, sb.suppliers[0], sb.buyers[0], { amount: FACE });
    await requestFinancing(sb, sb.suppliers[0], invoiceId, 0, bank);
    return {
      actor: bank,
      invoiceId,
      send: (from = bank) => sb.ledger.connect(from).rejectFinancing(invoiceId, 0, REASON),
    };
  },
};

export const pay: LifecycleAction = {
  name: "pay",
  role: Role.CoreEnterprise,
  kind: "settlement",
  event: "PaymentReceived",
  outsider: notBuyer,
  actsAfterAdmissionEnds: true,
  stoppedByReceivableFreeze: true,
  prepare: async (sb) => {
    const [buyer] = sb.buyers;
    const invoiceId = await confirmed(sb, sb.suppliers[0], buyer, { amount: FACE });
    await finance(sb, sb.suppliers[0], invoiceId, 0, sb.banks[0], { rateBps: 500n });
    return {
      actor: buyer,
      invoiceId,
      send: (from = buyer) => sb.ledger.connect(from).pay(invoiceId, FACE / 10n),
    };
  },
};

export const claimRecourse: LifecycleAction = {
  name: "claimRecourse",
  role: Role.Bank,
  kind: "settlement",
  event: "RecourseClaimed",
  outsider: notBank,
  actsAfterAdmissionEnds: false,
  stoppedByReceivableFreeze: true,
  prepare: async (sb, helpers) => {
    const [bank] = sb.banks;
    const [supplier] = sb.suppliers;
    // Defaulted one day after the due date; financed at 0 bps, so the supplier holds the whole
    // advance it has to give back.
    await setLimit(sb, Limit.DefaultThresholdDays, 1n);
    const invoiceId = await confirmed(sb, supplier, sb.buyers[0], {
      amount: FACE,
      dueIn: 10n * DAY,
    });
    await finance(sb, supplier, invoiceId, 0, bank, { withRecourse: true });
    const { dueDate } = await sb.ledger.invoice(invoiceId);
    await helpers.time.increaseTo(dueDate + DAY + 1n);
    return {
      actor: bank,
      invoiceId,
      send: (from = bank) => sb.ledger.connect(from).claimRecourse(invoiceId, 0),
    };
  },
};

export const markOverdue: LifecycleAction = {
  name: "markOverdue",
  role: Role.Operator,
  kind: "housekeeping",
  event: "ReceivableOverdue",
  outsider: (sb) => ({ name: "ParticipantNotAdmitted", args: [sb.outsider.address] }),
  wrongRole: (sb) => ({
    caller: sb.suppliers[0],
    error: {
      name: "ParticipantRoleMismatch",
      args: [sb.suppliers[0].address, Role.Operator, Role.Supplier],
    },
  }),
  actsAfterAdmissionEnds: false,
  stoppedByReceivableFreeze: false,
  prepare: async (sb, helpers) => {
    const invoiceId = await confirmed(sb, sb.suppliers[0], sb.buyers[0], {
      amount: FACE,
      dueIn: 10n * DAY,
    });
    const { dueDate } = await sb.ledger.invoice(invoiceId);
    await helpers.time.increaseTo(dueDate + 1n); // grace period 0: overdue right after the due date
    return {
      actor: sb.operator,
      invoiceId,
      send: (from = sb.operator) => sb.ledger.connect(from).markOverdue(invoiceId),
    };
  },
};

export const markDefaulted: LifecycleAction = {
  ...markOverdue,
  name: "markDefaulted",
  event: "ReceivableDefaulted",
  prepare: async (sb, helpers) => {
    await setLimit(sb, Limit.DefaultThresholdDays, 1n);
    const invoiceId = await confirmed(sb, sb.suppliers[0], sb.buyers[0], {
      amount: FACE,
      dueIn: 10n * DAY,
    });
    const { dueDate } = await sb.ledger.invoice(invoiceId);
    await helpers.time.increaseTo(dueDate + DAY + 1n);
    return {
      actor: sb.operator,
      invoiceId,
      send: (from = sb.operator) => sb.ledger.connect(from).markDefaulted(invoiceId),
    };
  },
};

export const LIFECYCLE_ACTIONS: LifecycleAction[] = [
  submitInvoice,
  confirmInvoice,
  disputeInvoice,
  transferPiece,
  requestFinancingAction,
  cancelFinancing,
  approveFinancing,
  rejectFinancing,
  pay,
  claimRecourse,
  markOverdue,
  markDefaulted,
];
