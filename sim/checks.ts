/**
 * Accounting identities, checked at the end of every in-process run against what the engine
 * believes, the platform's index and the chain itself:
 *
 * - every confirmed receivable's pieces sum to its face amount (chain and index);
 * - financed + unfinanced piece volume = confirmed volume; paid + outstanding = confirmed volume;
 *   the chain's paid amounts, the index's payments and the engine's settled volume agree;
 * - what holders received (payouts) plus the rounding remainder the ledger holds equals what
 *   buyers paid; a settled receivable paid out exactly its face amount;
 * - each bank's exposure, each supplier's outstanding financing and each buyer's outstanding
 *   payables on chain equal the engine's; the pilot's financed total equals the financed volume;
 * - the settlement token is conserved: balances of every participant and the ledger = minted.
 */
import type { Check } from "./metrics.js";
import type { EngineResult } from "./engine.js";
import type { InProcessPort } from "./inprocess.js";

interface ChainPiece {
  holder: string;
  amount: bigint;
  status: bigint;
}

const FINANCED = 2n;
const RECOURSED = 3n;

function check(name: string, expected: number | bigint | string, actual: number | bigint | string): Check {
  return { name, ok: String(expected) === String(actual), expected: String(expected), actual: String(actual) };
}

export async function reconcile(port: InProcessPort, run: EngineResult, minted: number): Promise<Check[]> {
  const index = port.platform.totals;
  const out: Check[] = [];
  const invoices = run.invoices.filter((i) => i.id !== "");
  const confirmed = invoices.filter((i) => i.status === "Confirmed" || i.status === "Settled");

  // ---- Engine vs index: every invoice's status and paid amount ---------------------------------
  const rows = index.invoices();
  let statusMismatch = 0;
  for (const inv of invoices) {
    const row = rows.get(inv.id);
    const expected =
      inv.status === "Settled"
        ? "Settled"
        : inv.status === "Disputed"
          ? "Disputed"
          : inv.status === "Confirmed"
            ? { none: "Confirmed", overdue: "Overdue", defaulted: "Defaulted" }[inv.mark]
            : "Submitted";
    if (row === undefined || row.status !== expected || row.paidAmount !== inv.paid || row.faceAmount !== inv.face) statusMismatch++;
  }
  out.push(check("index: invoices as the engine saw them (status, face, paid)", `${invoices.length} of ${invoices.length}`, `${invoices.length - statusMismatch} of ${invoices.length}`));

  // ---- Pieces sum to face, on chain and in the index ---------------------------------------------
  let chainPieceMismatch = 0;
  let indexPieceMismatch = 0;
  let chainPaid = 0n;
  let financedPieces = 0n;
  let otherPieces = 0n;
  // What holders are owed for what was paid: each piece's floor share (the ledger's rounding rule).
  let floorShares = 0n;
  const indexPieceSums = index.pieceSums();
  for (const inv of confirmed) {
    const pieces = await port.read<ChainPiece[]>("ReceivableLedger", "pieces", [inv.id]);
    const onChain = await port.read<{ paidAmount: bigint }>("ReceivableLedger", "invoice", [inv.id]);
    chainPaid += onChain.paidAmount;
    let sum = 0n;
    for (const p of pieces) {
      sum += p.amount;
      floorShares += (onChain.paidAmount * p.amount) / BigInt(inv.face);
      if (p.status === FINANCED || p.status === RECOURSED) financedPieces += p.amount;
      else otherPieces += p.amount;
    }
    if (sum !== BigInt(inv.face)) chainPieceMismatch++;
    if (indexPieceSums.get(inv.id) !== inv.face) indexPieceMismatch++;
  }
  out.push(check("chain: pieces of every confirmed receivable sum to its face amount", 0, chainPieceMismatch));
  out.push(check("index: pieces of every confirmed receivable sum to its face amount", 0, indexPieceMismatch));

  const confirmedVolume = confirmed.reduce((s, i) => s + i.face, 0);
  const financedVolume = run.recorder.daily.reduce((s, d) => s + d.financedVolume, 0);
  out.push(check("chain: financed + unfinanced piece volume = confirmed volume", confirmedVolume, financedPieces + otherPieces));
  out.push(check("chain: volume of financed pieces = financed volume", financedVolume, financedPieces));

  const settledVolume = run.recorder.daily.reduce((s, d) => s + d.settledVolume, 0);
  const indexPayments = index.paymentsTotal();
  out.push(check("chain: paid amounts = settled volume", settledVolume, chainPaid));
  out.push(check("index: payments = settled volume", settledVolume, indexPayments));
  const outstanding = confirmed.reduce((s, i) => s + (i.face - i.paid), 0);
  out.push(check("settled + outstanding = confirmed volume", confirmedVolume, settledVolume + outstanding));

  // ---- Holders' receipts equal buyers' payments ------------------------------------------------
  const payouts = index.payoutsTotal();
  const ledgerBalance = await port.read<bigint>("SettlementToken", "balanceOf", [port.platform.ctx.addresses.ReceivableLedger]);
  // The buyer transfers exactly the holders' floor shares; the rounding remainder stays with it.
  out.push(check("chain + index: payouts to holders = floor shares of buyer payments", floorShares, BigInt(payouts)));
  out.push(check("chain: the ledger holds no settlement token", 0n, ledgerBalance));
  out.push(check("index: every settled receivable paid its holders exactly its face amount", 0, index.unevenlySettled()));

  // ---- Exposure counters -------------------------------------------------------------------------
  const supplierFinancing = new Map<string, number>();
  const bankFromPieces = new Map<string, number>();
  for (const inv of confirmed) {
    for (const p of inv.pieces) {
      if (p.status !== "Financed" || p.financing === undefined) continue;
      supplierFinancing.set(p.financing.party, (supplierFinancing.get(p.financing.party) ?? 0) + p.amount - p.received);
      bankFromPieces.set(p.financing.bank, (bankFromPieces.get(p.financing.bank) ?? 0) + p.amount - p.received);
    }
  }
  const indexOutstanding = index.outstanding();
  const buyerOutstanding = new Map<string, number>();
  for (const inv of confirmed) buyerOutstanding.set(inv.buyer, (buyerOutstanding.get(inv.buyer) ?? 0) + inv.face - inv.paid);
  let exposureMismatch: string[] = [];
  let compared = 0;
  for (const firm of run.firms.values()) {
    if (firm.party === undefined) continue;
    const expected =
      firm.role === "Bank" ? (run.bankExposure.get(firm.id) ?? 0) : firm.role === "Supplier" ? (supplierFinancing.get(firm.id) ?? 0) : (buyerOutstanding.get(firm.id) ?? 0);
    const onChain = await port.read<{ outstanding: bigint }>("SandboxController", "participant", [firm.party.address]);
    compared++;
    // A firm whose admission was refused has no index row: its figure is 0 there as on chain.
    if (onChain.outstanding !== BigInt(expected) || (indexOutstanding.get(firm.party.address) ?? 0) !== expected) exposureMismatch.push(firm.id);
    if (firm.role === "Bank" && (bankFromPieces.get(firm.id) ?? 0) !== expected) exposureMismatch.push(`${firm.id} (pieces)`);
  }
  exposureMismatch = exposureMismatch.slice(0, 10);
  out.push(check("chain + index: bank exposure, supplier financing and buyer payables as the engine's", `${compared} of ${compared}`, exposureMismatch.length === 0 ? `${compared} of ${compared}` : `mismatch: ${exposureMismatch.join(", ")}`));
  const policy = await port.read<{ pilotFinanced: bigint }>("SandboxController", "policy");
  out.push(check("chain: pilot financed total = financed volume", financedVolume, policy.pilotFinanced));

  // ---- Token conservation ------------------------------------------------------------------------
  let balances = ledgerBalance;
  for (const firm of run.firms.values()) {
    if (firm.party !== undefined) balances += await port.read<bigint>("SettlementToken", "balanceOf", [firm.party.address]);
  }
  const supply = await port.read<bigint>("SettlementToken", "totalSupply");
  out.push(check("chain: settlement token conserved (balances of participants and ledger = minted)", minted, balances));
  out.push(check("chain: token supply = minted", minted, supply));
  return out;
}
