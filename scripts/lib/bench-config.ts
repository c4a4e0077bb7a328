import { DAY, unixToIsoDate as iso } from "../../domain/time.js";
import type { Platform } from "../../server/src/platform.js";
import type { Actor } from "../../server/src/services/context.js";
import { demoInvoicePdf } from "../../server/src/seed/pdf.js";

/** The platform's settings every benchmark starts it with: the built-in chain, data in `dataDir`. */
export const benchConfig = (dataDir: string) => ({
  dataDir,
  rpcUrl: undefined,
  keySecret: "bench secret, at least sixteen characters",
  sessionTtlMs: 3_600_000,
  host: "127.0.0.1",
  chainPort: 0,
});

const YUAN = 100n;

/**
 * The benchmarks' receivable number `i`: its document stored and the invoice submitted by
 * `supplier` on `buyer`, due in 30-179 days from `now`; answers its id (not yet confirmed).
 */
export async function submitBenchInvoice(s: Platform["services"], supplier: Actor, buyer: Actor, number: string, i: number, now: number): Promise<string> {
  const doc = await s.documents.store(supplier, `${number}.pdf`, demoInvoicePdf(`Invoice ${number}`));
  const result = await s.invoices.submit(supplier, {
    buyer: buyer.address,
    invoiceNumber: number,
    faceAmount: String(10_000n * YUAN + BigInt(i) * 100n),
    issueDate: iso(now - DAY),
    dueDate: iso(now + (30 + (i % 150)) * DAY),
    documentHash: doc.sha256,
  });
  return String(result.events.find((e) => e.name === "InvoiceSubmitted")!.args.invoiceId);
}
