/**
 * The report's sections on the model's answers (issue 15): calibration targets beside the model's
 * figures, the pilot without the platform tier by tier, the price of each sandbox rule, and the
 * banks' quotes per buyer over time. HTML for the report (sim/report.ts) and lines for the CLI
 * summary; both read only metrics.json's figures.
 */
import { formatYuan } from "../domain/money.js";
import type { Metrics } from "./metrics.js";
import { escapeHtml } from "./svg.js";

const yuan = (fen: number) => `¥${formatYuan(BigInt(Math.round(fen)))}`;
const pct = (bps: number) => `${(bps / 100).toFixed(2)}%`;
const share = (v: number) => `${(v * 100).toFixed(1)}%`;

function table(head: string[], rows: (string | number)[][]): string {
  return `<div class="scroll"><table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${typeof c === "number" ? String(c) : c}</td>`).join("")}</tr>`)
    .join("")}</tbody></table></div>`;
}

/** A calibration figure in its own unit. */
function figure(name: string, v: number): string {
  if (/cost|credit/i.test(name)) return pct(v);
  if (/days/i.test(name)) return v.toFixed(1);
  return v.toFixed(3);
}

function calibration(m: Metrics): string {
  if (m.calibration === undefined) return "";
  return `<h2>Calibration: the model beside real figures</h2>
<p class="note">Each target with its source (scenarios/targets/${escapeHtml(m.scenario.name)}.yaml). A band's relative error is 0 inside it.</p>
${table(
  ["Figure", "Target", "Model", "Relative error", "Source"],
  m.calibration.map((c) => [
    escapeHtml(c.name),
    c.targetMin === undefined ? figure(c.name, c.target) : `${figure(c.name, c.targetMin)} – ${figure(c.name, c.targetMax!)}`,
    figure(c.name, c.model),
    `<span class="${c.relativeError <= 0.15 ? "ok" : "bad"}">${share(c.relativeError)}</span>`,
    `<span class="note" style="white-space:normal">${escapeHtml(c.source)}</span>`,
  ]),
)}`;
}

function counterfactual(m: Metrics): string {
  const cf = m.counterfactual;
  if (cf === undefined) return "";
  const rows = cf.withPlatform.map((w) => {
    const o = cf.withoutPlatform.find((x) => x.tier === w.tier)!;
    const e = cf.effect.find((x) => x.tier === w.tier)!;
    return [
      `tier ${w.tier}`,
      yuan(w.receivables),
      share(w.financedShare),
      share(o.financedShare),
      w.timeToCashMean.toFixed(1),
      o.timeToCashMean.toFixed(1),
      pct(w.annualCostBps),
      pct(o.annualCostBps),
      e.daysSaved.toFixed(1),
      w.timeToSettleMean.toFixed(1),
      e.daysSavedToSettle.toFixed(1),
      yuan(e.interestSaved),
      `${e.firmsReached} of ${w.suppliers}`,
    ];
  });
  return `<h2>The pilot without the platform</h2>
<p class="note">The same invoices, firms and behaviour without the platform: every claim is paid in cash down the chain (a customer short of cash pays late), and the only credit is bank loans at the SME rate of each tier, rationed. Time to cash counts from each holder's own acquisition of the claim; claims unpaid at the end count as waiting to the end. Financed share: platform financing and loans over the tier's receivables. Days saved can be negative: a supplier paid with a piece of a receivable holds a claim due on the buyer's terms, often later than the cash its customer would have paid on trade terms; if it has cash enough it keeps the piece (financing costs a discount) and waits for maturity. Days to settle counts the part of a claim the supplier passed on to pay its own supplier as settled that day (a piece used as money); without the platform it equals days to cash. Interest saved: the platform's financings priced at the tier's SME rate, less their discounts. Collection period without the platform: ${cf.collectionPeriodDays.toFixed(1)} days; late payments between firms: ${cf.latePayments.count} (${yuan(cf.latePayments.volume)}), on the platform ${cf.platformLatePayments.count} (${yuan(cf.platformLatePayments.volume)}).</p>
${table(["Tier", "Receivables", "Financed (platform)", "Financed (without)", "Days to cash (platform)", "Days to cash (without)", "Annual cost (platform)", "Annual cost (without)", "Days saved", "Days to settle (platform)", "Days to settle saved", "Interest saved", "Firms financed"], rows)}`;
}

function rulePrice(m: Metrics): string {
  const price = m.blocked.price;
  if (price === undefined || price.length === 0) return "";
  return `<h2>The price of each rule</h2>
<p class="note">Volume each rule kept off the platform or unfinanced, each invoice or piece counted once however often it was blocked; blocked and through later: delayed. Extra days: from the block to the supplier's cash, weighted by amount. Extra interest: the stopped volume carried at the SME rate instead of the platform's (an estimate).</p>
${table(
  ["Rule", "Blocked actions", "Pieces", "Stopped", "of which issuance", "transfers", "financing", "Delayed", "Extra days to cash", "Extra interest"],
  price.map((p) => [
    escapeHtml(p.rule),
    m.blocked.byRule.find((r) => r.rule === p.rule)?.count ?? 0,
    p.piecesBlocked,
    yuan(p.stoppedVolume),
    yuan(p.stoppedIssuance),
    yuan(p.stoppedTransfers),
    yuan(p.stoppedFinancing),
    yuan(p.delayedVolume),
    p.extraDaysToCash.toFixed(1),
    yuan(p.extraInterest),
  ]),
)}`;
}

function credit(m: Metrics): string {
  const c = m.credit;
  if (c === undefined) return "";
  const off = m.offPlatform;
  // Every window any buyer had, so each column is one window for all buyers.
  const starts = [...new Set(c.byBuyer.flatMap((b) => b.windows.map((w) => w.fromDay)))].sort((a, b) => a - b);
  return `<h2>Banks' quotes and decisions</h2>
<p class="note">Banks price each request from the default probability they learn for its buyer on the ledger (a prior, updated by late payments and defaults, older ones weighing less), plus tenor, tier, their concentration on the buyer and the use of their funding; they decline above their risk appetite, their line or their funding, and the platform blocks a price above the rate ceiling. Per ${c.windowDays}-day window: requests, approvals and the mean spread quoted over the base rate.</p>
${table(
  ["Buyer", ...starts.map((d) => `day ${d}`)],
  c.byBuyer.map((b) => [
    escapeHtml(b.buyer),
    ...starts.map((d) => {
      const w = b.windows.find((x) => x.fromDay === d);
      return w === undefined || w.asked === 0 ? "–" : `${w.approved}/${w.asked} · ${w.meanQuotedSpreadBps} bps`;
    }),
  ]),
)}
<h3>By risk class</h3>
${table(
  ["Buyer", "Tier", "Asked", "Approved", "Best price (mean)", "Above ceiling", "Risk", "Line or funding"],
  c.byClass.map((x) => [escapeHtml(x.buyer), x.tier, x.asked, x.approved, pct(x.meanBestPriceBps), x.declinedAboveCeiling, x.declinedRisk, x.declinedLimit]),
)}
${
  off === undefined
    ? ""
    : `<p class="note">Outside the platform, on the platform run: ${off.loans} loans, ${yuan(off.loanVolume)} at ${pct(off.averageRateBps)} on average (${yuan(off.interest)} interest); ${yuan(off.rationedVolume)} of loan requests refused; ${off.latePayments} payments between firms made late (${yuan(off.lateVolume)}).</p>`
}`;
}

/** The model's sections of a single run's report. */
export function modelSections(m: Metrics): string {
  return [calibration(m), counterfactual(m), rulePrice(m), credit(m)].join("\n");
}

/** Lines for the CLI summary: each calibration target beside the model, and the platform's effect. */
export function modelSummaryLines(m: Metrics): string[] {
  const lines: string[] = [];
  for (const c of m.calibration ?? []) {
    const target = c.targetMin === undefined ? figure(c.name, c.target) : `${figure(c.name, c.targetMin)}-${figure(c.name, c.targetMax!)}`;
    lines.push(`  ${c.name.padEnd(48)} model ${figure(c.name, c.model).padStart(8)}  target ${target.padStart(13)}  error ${share(c.relativeError)}`);
  }
  const cf = m.counterfactual;
  if (cf !== undefined) {
    const effect = cf.effect.map((e) => `t${e.tier} ${e.daysSaved >= 0 ? "-" : "+"}${Math.abs(e.daysSaved).toFixed(1)}d`).join(", ");
    lines.push(`  ${"Days to cash, platform vs none (by tier)".padEnd(40)} ${effect}`);
    const settle = cf.effect.map((e) => `t${e.tier} ${e.daysSavedToSettle >= 0 ? "-" : "+"}${Math.abs(e.daysSavedToSettle).toFixed(1)}d`).join(", ");
    lines.push(`  ${"Days to settle, platform vs none (by tier)".padEnd(40)} ${settle}`);
  }
  return lines;
}
