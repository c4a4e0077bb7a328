/**
 * The demo pilot seeded by `npm start` on a fresh data directory: a regulator, an operator, two
 * core enterprises, six suppliers over two tiers, two banks, and invoices at every stage of the
 * lifecycle. The local chain starts 60 days in the past so that receivables can mature, be paid,
 * go overdue or default; seeding ends with chain time back at today.
 */
import { setMeta } from "../db/database.js";
import { AppError } from "../errors.js";
import { act } from "../services/actions.js";
import type { Actor } from "../services/context.js";
import type { Platform } from "../platform.js";
import { demoInvoicePdf } from "./pdf.js";
import { DAY, unixToIsoDate } from "../../../domain/time.js";

export const DEMO_PASSWORD = "demo1234";

/** Why the demo seed is refused on an external node: its history is made by moving chain time. */
export const DEMO_SEED_REFUSED =
  "the demo seed runs on the platform's own local chain only: it makes 60 days of history by moving chain time, " +
  "which the platform never does on an external node (SCF_RPC_URL); start with SCF_SEED_DEMO=false and create the " +
  "first logins with `npm run admin -- create-login`";
export const DEMO_HISTORY_DAYS = 60;
const YUAN = 100n;

export interface DemoLogin {
  username: string;
  password: string;
  role: string;
  name: string;
}


export async function seedDemo(platform: Platform, progress: (message: string) => void = () => {}): Promise<DemoLogin[]> {
  const { services: s, ctx } = platform;
  // Refused before anything is written: half a demo on a shared network could not be taken back.
  if (ctx.chain.mode !== "local") throw new Error(DEMO_SEED_REFUSED);
  const logins: DemoLogin[] = [];
  const now = () => s.policy.now();
  const start = now();
  const days = (n: number) => start + n * DAY;

  progress("Seeding the demo pilot: policy, participants, invoices at every stage...");
  // ---- Supervisors' logins and the pilot's policy -----------------------------------------------
  for (const who of [platform.regulator, platform.operator]) {
    const id = await s.auth.createUser(who.username, DEMO_PASSWORD, who.address, who.name);
    Object.assign(who, { userId: id });
    logins.push({ username: who.username, password: DEMO_PASSWORD, role: who.role, name: who.name });
  }
  const reg = platform.regulator;
  await s.regulator.setPilotWindow(reg, days(-1), days(DEMO_HISTORY_DAYS + 365), "Pilot approved for one year");
  const limits: [string, bigint, string][] = [
    ["SupplierFinancingCap", 5_000_000n * YUAN, "Per-SME financing exposure limited during the pilot"],
    ["BankExposureCap", 20_000_000n * YUAN, "Bank exposure limit agreed with the supervisor"],
    ["BuyerOutstandingCap", 30_000_000n * YUAN, "Concentration limit per core enterprise"],
    ["PilotFinancingCap", 100_000_000n * YUAN, "Total pilot financing volume"],
    ["MaxParticipants", 50n, "Pilot cohort size"],
    ["MaxTenorDays", 180n, "Short-term trade receivables only"],
    ["RateCeilingBps", 800n, "Financing cost ceiling for SMEs: 8% a year"],
    ["MinPieceAmount", 10_000n * YUAN, "No splits below 10,000 yuan"],
    ["MaxTierDepth", 3n, "Receivables may reach tier-3 suppliers"],
    ["GracePeriodDays", 5n, "Five days' grace after the due date"],
    ["DefaultThresholdDays", 30n, "Unpaid 30 days after the due date is a default"],
  ];
  for (const [limit, value, reason] of limits) await s.regulator.setLimit(reg, limit as never, value.toString(), reason);

  // ---- Participants ---------------------------------------------------------------------------
  const until = days(DEMO_HISTORY_DAYS + 730);
  const onboard = async (username: string, name: string, role: Actor["role"], tier?: number): Promise<Actor> => {
    await s.participants.onboard(reg, { name, role: role as never, tier, admittedUntil: until, username, password: DEMO_PASSWORD });
    logins.push({ username, password: DEMO_PASSWORD, role, name });
    return s.auth.actor(username)!;
  };
  const core1 = await onboard("core1", "Jingcheng Motors Group", "CoreEnterprise");
  const core2 = await onboard("core2", "Huabei Power Equipment", "CoreEnterprise");
  const sup1 = await onboard("supplier1", "Anda Auto Parts", "Supplier", 1);
  const sup2 = await onboard("supplier2", "Beifang Cable Works", "Supplier", 1);
  const sup3 = await onboard("supplier3", "Chengxin Electronics", "Supplier", 1);
  const sup4 = await onboard("supplier4", "Dongfang Precision Steel", "Supplier", 2);
  const sup5 = await onboard("supplier5", "Erya Plastics", "Supplier", 2);
  const sup6 = await onboard("supplier6", "Fengyuan Packaging", "Supplier", 2);
  const bank1 = await onboard("bank1", "Capital City Bank", "Bank");
  const bank2 = await onboard("bank2", "Yanjing Commercial Bank", "Bank");
  for (const [who, amount] of [
    [bank1, 50_000_000n],
    [bank2, 50_000_000n],
    [core1, 80_000_000n],
    [core2, 80_000_000n],
  ] as const) {
    await act(ctx, platform.operator, "SettlementToken", "mint", [who.address, amount * YUAN]);
  }

  // ---- Invoices at every stage ----------------------------------------------------------------
  const invoice = async (seller: Actor, buyer: Actor, number: string, yuan: bigint, dueInDays: number) => {
    const doc = await s.documents.store(seller, `${number}.pdf`, demoInvoicePdf(`Invoice ${number}`));
    const result = await s.invoices.submit(seller, {
      buyer: buyer.address,
      invoiceNumber: number,
      faceAmount: (yuan * YUAN).toString(),
      issueDate: unixToIsoDate(now() - DAY),
      dueDate: unixToIsoDate(now() + dueInDays * DAY),
      documentHash: doc.sha256,
    });
    return String(result.events.find((e) => e.name === "InvoiceSubmitted")!.args.invoiceId);
  };
  const confirmed = async (seller: Actor, buyer: Actor, number: string, yuan: bigint, dueInDays: number) => {
    const id = await invoice(seller, buyer, number, yuan, dueInDays);
    await s.invoices.confirm(buyer, id);
    return id;
  };

  // Split to a tier-2 supplier, who finances its piece: the story of DESIGN.md section 3.
  const a1 = await confirmed(sup1, core1, "JC-2026-0001", 1_200_000n, 150);
  await s.invoices.transfer(sup1, a1, 0, sup4.address, (360_000n * YUAN).toString());
  await s.financing.request(sup4, a1, 1, bank1.address, true);
  await s.financing.approve(bank1, a1, 1, 450);
  // Will be overdue (due 40 days into the 60-day history, unpaid).
  await confirmed(sup2, core2, "HB-2026-0107", 800_000n, 40);
  // Will default: due after 20 days, unpaid 40 days later; financed with recourse.
  const a3 = await confirmed(sup3, core1, "JC-2026-0002", 500_000n, 20);
  await s.financing.request(sup3, a3, 0, bank2.address, true);
  await s.financing.approve(bank2, a3, 0, 520);
  // Paid in full at maturity; and one paid in part.
  const a4 = await confirmed(sup1, core1, "JC-2026-0003", 300_000n, 30);
  const a5 = await confirmed(sup2, core2, "HB-2026-0108", 900_000n, 120);
  // Disputed by the buyer.
  const a7 = await invoice(sup1, core2, "HB-2026-0109", 250_000n, 90);
  await s.invoices.dispute(core2, a7, "Delivery note does not match the invoiced quantity");
  // Split down to tier 3, with a pending financing request.
  const a8 = await confirmed(sup2, core1, "JC-2026-0004", 600_000n, 110);
  await s.invoices.transfer(sup2, a8, 0, sup5.address, (200_000n * YUAN).toString());
  await s.invoices.transfer(sup5, a8, 1, sup6.address, (50_000n * YUAN).toString());
  await s.financing.request(sup5, a8, 1, bank2.address, false);
  // A rejected request.
  const a10 = await confirmed(sup3, core2, "HB-2026-0110", 350_000n, 130);
  await s.financing.request(sup3, a10, 0, bank1.address, true);
  await s.financing.reject(bank1, a10, 0, "Supporting contract missing: please resubmit with the purchase order");
  // A rate above the ceiling, blocked by the sandbox (shows on the regulator's dashboard).
  await s.financing.request(sup6, a8, 2, bank1.address, true);
  try {
    await s.financing.approve(bank1, a8, 2, 950);
  } catch (error) {
    if (!(error instanceof AppError) || error.errorName !== "RateAboveCeiling") throw error;
  }

  // ---- Time passes: payments at maturity, then today ------------------------------------------
  await s.chain.advance(30);
  await s.settlement.pay(core1, a4, (300_000n * YUAN).toString());
  await s.settlement.pay(core2, a5, (360_000n * YUAN).toString());
  const remaining = Math.max(1, Math.ceil((Date.now() / 1000 - now()) / DAY));
  await s.chain.advance(remaining);
  await s.settlement.markDue(platform.operator);
  // Fresh work waiting for today's users.
  await invoice(sup1, core1, "JC-2026-0005", 420_000n, 90);
  await invoice(sup3, core2, "HB-2026-0111", 275_000n, 60);
  await confirmed(sup1, core2, "HB-2026-0112", 640_000n, 100);

  setMeta(ctx.db, "demo_logins", JSON.stringify(logins));
  progress(`Demo pilot seeded: ${logins.length} logins, ${countInvoices(platform)} invoices.`);
  return logins;
}

function countInvoices(platform: Platform): number {
  return platform.totals.invoices().size;
}
