/** Data shaped exactly as the API answers it (checked by the same domain schemas in the client). */
import type { CurrentUser, Dashboard, Financing, Invoice, InvoiceDetail, Participant, Policy } from "@domain/api";

const addr = (n: number) => `0x${n.toString(16).padStart(40, "0")}`;
export const id32 = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;

export const A = {
  regulator: addr(1),
  operator: addr(2),
  core1: addr(11),
  core2: addr(12),
  supplier1: addr(21),
  supplier4: addr(24),
  supplier5: addr(25),
  bank1: addr(31),
  bank2: addr(32),
};

export const NOW = 1_795_651_200; // 2026-11-26T00:00:00Z
export const DAY = 86_400;

export const users: Record<string, CurrentUser> = {
  supplier1: { username: "supplier1", displayName: "Anda Auto Parts", role: "Supplier", participant: { address: A.supplier1, name: "Anda Auto Parts" } },
  supplier4: { username: "supplier4", displayName: "Dongfang Precision Steel", role: "Supplier", participant: { address: A.supplier4, name: "Dongfang Precision Steel" } },
  core1: { username: "core1", displayName: "Jingcheng Motors Group", role: "CoreEnterprise", participant: { address: A.core1, name: "Jingcheng Motors Group" } },
  bank1: { username: "bank1", displayName: "Capital City Bank", role: "Bank", participant: { address: A.bank1, name: "Capital City Bank" } },
  regulator: { username: "regulator", displayName: "Sandbox regulator", role: "Regulator", participant: { address: A.regulator, name: "Sandbox regulator" } },
};

const participant = (address: string, name: string, role: string, tier: number | null, outstanding = "0", extra: Partial<Participant> = {}): Participant => ({
  address,
  name,
  role,
  tier,
  admittedUntil: NOW + 700 * DAY,
  frozen: false,
  removed: false,
  outstanding,
  ...extra,
});

export const participants: Participant[] = [
  participant(A.bank1, "Capital City Bank", "Bank", null, "36000000"),
  participant(A.bank2, "Yanjing Commercial Bank", "Bank", null, "50000000"),
  participant(A.core1, "Jingcheng Motors Group", "CoreEnterprise", null, "230000000"),
  participant(A.core2, "Huabei Power Equipment", "CoreEnterprise", null, "233000000"),
  participant(A.operator, "Platform operator", "Operator", null),
  participant(A.regulator, "Sandbox regulator", "Regulator", null),
  participant(A.supplier1, "Anda Auto Parts", "Supplier", 1),
  participant(A.supplier4, "Dongfang Precision Steel", "Supplier", 2, "36000000"),
  participant(A.supplier5, "Erya Plastics", "Supplier", 2),
];

export const page = <T>(items: T[]) => ({ items, total: items.length, limit: 200, offset: 0 });

export const policy: Policy = {
  paused: false,
  windingDown: false,
  pilotStart: NOW - 60 * DAY,
  pilotEnd: NOW + 365 * DAY,
  limits: {
    SupplierFinancingCap: "500000000",
    BankExposureCap: "2000000000",
    BuyerOutstandingCap: "3000000000",
    PilotFinancingCap: "10000000000",
    MaxParticipants: "50",
    MaxTenorDays: "180",
    RateCeilingBps: "800",
    MinPieceAmount: "1000000",
    MaxTierDepth: "3",
    GracePeriodDays: "5",
    DefaultThresholdDays: "30",
  },
  pilotFinanced: "86000000",
  admittedCount: 12,
};

export const chain = { mode: "local" as const, chainId: "31337", blockNumber: 120, timestamp: NOW, rpcUrl: null, addresses: {} };

export const invoice = (n: number, over: Partial<InvoiceDetail> = {}): InvoiceDetail => ({
  id: id32(n),
  invoiceNumber: `JC-2026-${String(n).padStart(4, "0")}`,
  seller: { address: A.supplier1, name: "Anda Auto Parts" },
  buyer: { address: A.core1, name: "Jingcheng Motors Group" },
  faceAmount: "120000000",
  paidAmount: "0",
  issueDate: NOW - DAY,
  dueDate: NOW + 90 * DAY,
  status: "Confirmed",
  standing: "Confirmed",
  frozen: false,
  documentHash: id32(999),
  pieceCount: 1,
  disputeReason: null,
  submittedAt: NOW - DAY,
  confirmedAt: NOW - DAY,
  settledAt: null,
  pieces: [{ invoiceId: id32(n), index: 0, holder: { address: A.supplier1, name: "Anda Auto Parts" }, amount: "120000000", tier: 1, status: "Active", parent: 0, received: "0" }],
  ...over,
});

export const summary = (inv: InvoiceDetail): Invoice => {
  const { pieces: _pieces, ...rest } = inv;
  return rest;
};

export const financing = (over: Partial<Financing> = {}): Financing => ({
  id: 7,
  invoiceId: id32(1),
  pieceIndex: 1,
  holder: { address: A.supplier4, name: "Dongfang Precision Steel" },
  bank: { address: A.bank1, name: "Capital City Bank" },
  buyer: { address: A.core1, name: "Jingcheng Motors Group" },
  amount: "36000000",
  dueDate: NOW + 90 * DAY,
  withRecourse: true,
  status: "Requested",
  maxRateBps: 800,
  rateBps: null,
  days: null,
  discount: null,
  advance: null,
  reason: null,
  recovered: null,
  requestedAt: NOW - 3600,
  decidedAt: null,
  ...over,
});

export const dashboard = (over: Partial<Dashboard["figures"]> = {}): Dashboard => ({
  asOf: NOW,
  policy: { paused: false, windingDown: false, pilotFinanced: "86000000", pilotFinancingCap: "10000000000" },
  figures: {
    invoices: 11,
    submittedVolume: "623500000",
    confirmedVolume: "529000000",
    financedVolume: "86000000",
    financings: 2,
    settledVolume: "66000000",
    outstanding: "463000000",
    overdue: "80000000",
    defaulted: "50000000",
    participants: { Bank: 2, CoreEnterprise: 2, Supplier: 6, Regulator: 1, Operator: 1 },
    maxTierDepth: 3,
    buyerConcentrationHhi: 0.5,
    ...over,
  },
  series: {
    volumeByDay: [{ day: NOW - 60 * DAY, submitted: "500000000", financed: "86000000", settled: "0" }],
    financingByBank: [{ address: A.bank1, name: "Capital City Bank", financed: "36000000", exposure: "36000000" }],
    exposureByBuyer: [{ address: A.core1, name: "Jingcheng Motors Group", outstanding: "230000000", share: 0.5 }],
    tierDepth: [{ tier: 1, pieces: 8, amount: "470000000" }],
    blockedByRule: [{ rule: "terms.rateCeiling", code: "SCF-5002", count: 1 }],
  },
});

/** The reads every portal makes, for a signed-in `user`. */
export function baseRoutes(user: CurrentUser) {
  return {
    "GET /api/auth/me": () => user,
    "GET /api/chain": () => chain,
    "GET /api/policy": () => policy,
    "GET /api/participants": (req: { query: URLSearchParams }) => {
      const role = req.query.get("role");
      return page(participants.filter((p) => role === null || p.role === role));
    },
  };
}
