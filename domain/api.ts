/**
 * The API's shapes: one zod schema per request and response, used by the server to validate and
 * to generate the OpenAPI document, and by the web UI to type and check what it receives.
 *
 * Conventions: money is integer fen as a decimal string ("123456" is ¥1,234.56), so no client
 * ever holds money in floating point; dates chosen by people are ISO calendar dates (UTC);
 * instants are Unix seconds; addresses are 0x-prefixed hex.
 */
import { z } from "zod";

import { invoiceStatusNames, limitNames, pieceStatusNames, roleNames, financingStatusNames } from "./enums.js";
import { INVOICE_NUMBER_MAX_LENGTH, normalizeInvoiceNumber } from "./invoice-number.js";

// ---- Primitives ------------------------------------------------------------------------------

export const Address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte hex address")
  .meta({ description: "Account address", example: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" });

export const Bytes32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex value")
  .transform((v) => v.toLowerCase());

/** Integer fen as a decimal string: an amount or a total (totals are uint128 on chain, up to 39 digits). */
export const Fen = z
  .string()
  .regex(/^\d{1,39}$/, "must be a whole number of fen (digits only)")
  .meta({ description: "Amount in fen (1 yuan = 100 fen), as a decimal string", example: "1250000" });

/**
 * An amount a person asks the ledger to move (an invoice's face, a piece, a payment): at least
 * 1 fen, at most 15 digits. The contracts' own bound, MAX_AMOUNT_FEN (2^48 - 1, under 10^15), is
 * left to the ledger, whose refusal carries the maximum (a malformed amount gets the format
 * message only).
 */
export const PositiveFen = z
  .string()
  .regex(/^\d{1,15}$/, "must be a whole number of fen (digits only)")
  .refine((v) => !/^\d+$/.test(v) || BigInt(v) > 0n, "must be at least 1 fen")
  .meta({ description: "Amount in fen (1 yuan = 100 fen), as a decimal string", example: "1250000" });

const DATE_FORMAT = /^\d{4}-\d{2}-\d{2}$/;
/** The dates the contracts can hold: Unix seconds in a uint32 (midnight UTC of 2106-02-07 is the last). */
export const MIN_DATE = "1970-01-01";
export const MAX_DATE = "2106-02-07";

export const IsoDate = z
  .string()
  .regex(DATE_FORMAT, "must be a date as YYYY-MM-DD")
  .refine((v) => {
    if (!DATE_FORMAT.test(v)) return true;
    const ms = Date.parse(`${v}T00:00:00Z`);
    // Date.parse rolls 2026-02-30 over to March 2: a real date reads back the same.
    return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === v;
  }, "must be a real calendar date")
  .refine((v) => !DATE_FORMAT.test(v) || (v >= MIN_DATE && v <= MAX_DATE), `must be between ${MIN_DATE} and ${MAX_DATE}`);

/** Half of a UTF-16 surrogate pair standing alone: JSON may carry one ("\\ud800"); no text has one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A string people type: well-formed Unicode, the only kind the contracts (UTF-8), the database and
 * the hashes can take. Every free-text field of a request is built on it.
 */
export const WellFormedText = z.string().refine((v) => !LONE_SURROGATE.test(v), "must be well-formed Unicode text (no lone surrogate)");

export const Reason = WellFormedText.trim().min(1, "is required").max(500, "must be at most 500 characters");
export const RoleName = z.enum(roleNames.filter((r) => r !== "None") as [string, ...string[]]);
export const LimitName = z.enum(limitNames as [string, ...string[]]);
export const InvoiceStatusName = z.enum(invoiceStatusNames.filter((s) => s !== "None") as [string, ...string[]]);
export const PieceStatusName = z.enum(pieceStatusNames as [string, ...string[]]);
export const FinancingStatusName = z.enum(financingStatusNames.filter((s) => s !== "None") as [string, ...string[]]);
/** Whole basis points in a JSON body: a number (null, "", false or [] are not 0). */
export const RateBps = z.number().int("must be whole basis points").min(0).max(65_535);
/** Whole basis points in a query string: its decimal digits. */
export const RateBpsParam = z.string().regex(/^\d{1,5}$/, "must be whole basis points").transform(Number).pipe(RateBps);

export const Page = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });

export const InvoiceIdParams = z.object({ id: Bytes32 });
export const PieceParams = z.object({
  id: Bytes32,
  index: z.string().regex(/^\d{1,3}$/, "must be a piece index (digits)").transform(Number).pipe(z.number().int().min(0).max(63)),
});
export const AddressParams = z.object({ address: Address });

// ---- Headers ---------------------------------------------------------------------------------

/**
 * Sent by the web UI's API client on every request. A page of another origin cannot send a custom
 * header without a CORS preflight, which the platform never grants: a write carrying it and the
 * session cookie came from the platform's own pages.
 */
export const CLIENT_HEADER = "x-scf-client";

// ---- Errors ----------------------------------------------------------------------------------

export const ApiError = z.object({
  error: z.object({
    code: z.string().meta({ example: "SCF-4002" }),
    name: z.string().meta({ example: "BankExposureCapExceeded" }),
    rule: z.string().meta({ example: "caps.bankExposure" }),
    policy: z.boolean(),
    message: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    fields: z.array(z.object({ path: z.string(), rule: z.string(), message: z.string() })).optional(),
    requestId: z.string(),
  }),
});
export type ApiError = z.infer<typeof ApiError>;

// ---- Auth ------------------------------------------------------------------------------------

export const LoginRequest = z.object({
  username: WellFormedText.trim().min(1, "is required").max(64),
  password: WellFormedText.min(1, "is required").max(256),
});

export const ParticipantRef = z.object({ address: Address, name: z.string() });

export const CurrentUser = z.object({
  username: z.string(),
  displayName: z.string(),
  role: RoleName,
  participant: ParticipantRef,
});
export type CurrentUser = z.infer<typeof CurrentUser>;

export const LoginResponse = z.object({
  token: z.string(),
  expiresAt: z.number().int(),
  user: CurrentUser,
});

export const DemoLogin = z.object({ username: z.string(), password: z.string(), role: RoleName, name: z.string() });
export const DemoLogins = z.object({ logins: z.array(DemoLogin) });

// ---- Participants ----------------------------------------------------------------------------

export const Participant = z.object({
  address: Address,
  name: z.string(),
  role: z.string(),
  tier: z.number().int().nullable(),
  admittedUntil: z.number().int().nullable(),
  frozen: z.boolean(),
  removed: z.boolean(),
  /** Role-specific exposure: confirmed payables (core enterprise), financing (supplier), exposure (bank). */
  outstanding: Fen,
});
export type Participant = z.infer<typeof Participant>;

export const ParticipantQuery = Page.extend({ role: RoleName.optional() });

export const AdmitRequest = z.object({
  name: WellFormedText.trim().min(1, "is required").max(100),
  role: RoleName.refine((r) => r !== "Operator", "cannot be granted through the API"),
  tier: z.number().int().min(1).max(10).optional(),
  admittedUntil: IsoDate,
  username: z
    .string()
    .trim()
    .regex(/^[a-z0-9._-]{3,32}$/, "must be 3-32 lower-case letters, digits, '.', '_' or '-'"),
  password: WellFormedText.min(8, "must be at least 8 characters").max(256),
});

export const RenewRequest = z.object({ admittedUntil: IsoDate, reason: Reason });
export const ReasonRequest = z.object({ reason: Reason });

// ---- Invoices and pieces ---------------------------------------------------------------------

export const SubmitInvoiceRequest = z.object({
  buyer: Address,
  invoiceNumber: WellFormedText.trim()
    .min(1, "is required")
    .max(INVOICE_NUMBER_MAX_LENGTH, `must be at most ${INVOICE_NUMBER_MAX_LENGTH} characters`)
    .refine(
      (v) => v.length > INVOICE_NUMBER_MAX_LENGTH || normalizeInvoiceNumber(v) !== null,
      "must hold only letters A-Z, digits and the separators space - _ / . (at least one letter or digit)",
    ),
  faceAmount: PositiveFen,
  issueDate: IsoDate,
  dueDate: IsoDate,
  documentHash: Bytes32.meta({ description: "SHA-256 of the uploaded invoice document (POST /api/documents)" }),
});

export const Piece = z.object({
  invoiceId: z.string(),
  index: z.number().int(),
  holder: ParticipantRef,
  amount: Fen,
  tier: z.number().int(),
  status: PieceStatusName,
  parent: z.number().int(),
  received: Fen,
});
export type Piece = z.infer<typeof Piece>;

export const Invoice = z.object({
  id: z.string(),
  invoiceNumber: z.string(),
  seller: ParticipantRef,
  buyer: ParticipantRef,
  faceAmount: Fen,
  paidAmount: Fen,
  issueDate: z.number().int(),
  dueDate: z.number().int(),
  status: InvoiceStatusName,
  /** Status including overdue or default reached by time but not yet marked on chain. */
  standing: InvoiceStatusName,
  frozen: z.boolean(),
  documentHash: z.string(),
  pieceCount: z.number().int(),
  disputeReason: z.string().nullable(),
  submittedAt: z.number().int(),
  confirmedAt: z.number().int().nullable(),
  settledAt: z.number().int().nullable(),
});
export type Invoice = z.infer<typeof Invoice>;

export const InvoiceDetail = Invoice.extend({ pieces: z.array(Piece) });
export type InvoiceDetail = z.infer<typeof InvoiceDetail>;

export const InvoiceQuery = Page.extend({
  holder: Address.optional(),
  seller: Address.optional(),
  buyer: Address.optional(),
  status: InvoiceStatusName.optional(),
  dueFrom: IsoDate.optional(),
  dueTo: IsoDate.optional(),
  sort: z.enum(["due", "-due", "submitted", "-submitted"]).default("-submitted"),
});

export const TimelineEntry = z.object({
  id: z.number().int(),
  name: z.string(),
  timestamp: z.number().int(),
  blockNumber: z.number().int(),
  txHash: z.string(),
  actor: z.string().nullable(),
  args: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const DisputeRequest = z.object({ reason: Reason });
export const TransferRequest = z.object({ to: Address, amount: PositiveFen });
export const TransferResponse = z.object({ invoiceId: z.string(), fromIndex: z.number().int(), toIndex: z.number().int(), piece: Piece });

// ---- Financing -------------------------------------------------------------------------------

/** `maxRateBps`: the highest annual rate the holder accepts (by default the sandbox's rate ceiling). */
export const FinancingRequest = z.object({ bank: Address, withRecourse: z.boolean().default(true), maxRateBps: RateBps.optional() });
/**
 * `financingId`: the request the bank reviewed (Financing.id); when the piece's pending request is
 * another one (the holder replaced it, or the piece changed hands), approval is refused.
 */
export const ApproveRequest = z.object({ rateBps: RateBps, financingId: z.number().int().positive().optional() });
export const QuoteQuery = z.object({ rateBps: RateBpsParam });
export const Quote = z.object({ days: z.number().int(), discount: Fen, advance: Fen, amount: Fen, rateBps: z.number().int() });

export const Financing = z.object({
  id: z.number().int(),
  invoiceId: z.string(),
  pieceIndex: z.number().int(),
  holder: ParticipantRef,
  bank: ParticipantRef,
  buyer: ParticipantRef,
  amount: Fen,
  dueDate: z.number().int(),
  withRecourse: z.boolean(),
  status: FinancingStatusName,
  /** The highest rate the holder accepts; null for requests indexed before the chain carried it. */
  maxRateBps: z.number().int().nullable(),
  rateBps: z.number().int().nullable(),
  days: z.number().int().nullable(),
  discount: Fen.nullable(),
  advance: Fen.nullable(),
  reason: z.string().nullable(),
  recovered: Fen.nullable(),
  requestedAt: z.number().int(),
  decidedAt: z.number().int().nullable(),
});
export type Financing = z.infer<typeof Financing>;

export const FinancingQuery = Page.extend({
  bank: Address.optional(),
  holder: Address.optional(),
  status: FinancingStatusName.optional(),
});

// ---- Settlement ------------------------------------------------------------------------------

export const PayRequest = z.object({ amount: PositiveFen });
export const Payment = z.object({
  id: z.number().int(),
  invoiceId: z.string(),
  buyer: ParticipantRef,
  amount: Fen,
  paidTotal: Fen,
  timestamp: z.number().int(),
  txHash: z.string(),
});
export const PaymentQuery = Page.extend({ invoiceId: Bytes32.optional(), buyer: Address.optional() });
export const RecourseResponse = z.object({ invoiceId: z.string(), pieceIndex: z.number().int(), amount: Fen });

// ---- Policy ----------------------------------------------------------------------------------

export const Policy = z.object({
  paused: z.boolean(),
  windingDown: z.boolean(),
  pilotStart: z.number().int(),
  pilotEnd: z.number().int(),
  limits: z.record(LimitName, z.string()),
  pilotFinanced: Fen,
  admittedCount: z.number().int(),
});
export type Policy = z.infer<typeof Policy>;

export const SetLimitRequest = z.object({
  value: z.string().regex(/^\d{1,39}$/, "must be a whole number"),
  reason: Reason,
});
export const LimitParams = z.object({ limit: LimitName });
export const PilotWindowRequest = z
  .object({ start: IsoDate, end: IsoDate, reason: Reason })
  .refine((v) => v.start < v.end, { message: "must be after the start", path: ["end"] });

// ---- Documents -------------------------------------------------------------------------------

export const DocumentInfo = z.object({
  sha256: z.string(),
  filename: z.string(),
  mime: z.string(),
  size: z.number().int(),
});

// ---- Chain, audit, alerts, dashboard -----------------------------------------------------------

export const ChainInfo = z.object({
  mode: z.enum(["local", "external"]),
  chainId: z.string(),
  blockNumber: z.number().int(),
  timestamp: z.number().int(),
  rpcUrl: z.string().nullable(),
  addresses: z.record(z.string(), Address),
});
/** GET /api/health: the platform answers; its chain may still be loading after a start (writes wait for it). */
export const Health = z.object({
  status: z.literal("ok"),
  chain: z.object({ state: z.enum(["loading", "ready", "failed"]), message: z.string() }),
});
export const AdvanceTimeRequest = z.object({ days: z.number().int().min(1).max(3650) });

export const AuditQuery = Page.extend({
  /**
   * Keyset cursor: only entries older than this id (the last id of the page before), so a page
   * deep in the trail costs what the first one does; `offset` then counts from the cursor.
   */
  before: z.coerce.number().int().min(1).optional(),
  name: z.string().max(64).optional(),
  invoiceId: Bytes32.optional(),
  actor: Address.optional(),
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
});

export const Alert = z.object({
  id: z.number().int(),
  timestamp: z.number().int(),
  kind: z.string(),
  severity: z.enum(["info", "warning", "critical"]),
  subject: z.string().nullable(),
  message: z.string(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  acknowledged: z.boolean(),
});
export type Alert = z.infer<typeof Alert>;

/** An audit trail entry: a contract event with its contract and invoice. */
export const AuditEntry = TimelineEntry.extend({ contract: z.string(), invoiceId: z.string().nullable() });
export type AuditEntry = z.infer<typeof AuditEntry>;

/** GET /api/dashboard: the regulator's key figures and the series behind its charts. */
export const Dashboard = z.object({
  asOf: z.number().int(),
  policy: z.object({ paused: z.boolean(), windingDown: z.boolean(), pilotFinanced: Fen, pilotFinancingCap: z.string() }),
  figures: z.object({
    invoices: z.number().int(),
    submittedVolume: Fen,
    confirmedVolume: Fen,
    financedVolume: Fen,
    financings: z.number().int(),
    settledVolume: Fen,
    outstanding: Fen,
    overdue: Fen,
    defaulted: Fen,
    participants: z.record(z.string(), z.number().int()),
    maxTierDepth: z.number().int(),
    buyerConcentrationHhi: z.number(),
  }),
  series: z.object({
    volumeByDay: z.array(z.object({ day: z.number().int(), submitted: Fen, financed: Fen, settled: Fen })),
    financingByBank: z.array(z.object({ address: Address, name: z.string(), financed: Fen, exposure: Fen })),
    exposureByBuyer: z.array(z.object({ address: Address, name: z.string(), outstanding: Fen, share: z.number() })),
    tierDepth: z.array(z.object({ tier: z.number().int(), pieces: z.number().int(), amount: Fen })),
    blockedByRule: z.array(z.object({ rule: z.string(), code: z.string(), count: z.number().int() })),
  }),
});
export type Dashboard = z.infer<typeof Dashboard>;
