/**
 * The one catalogue of error codes, shared by the server (which answers with them), the web UI
 * (which shows them in the user's language) and the simulator (which counts blocked actions per
 * rule). Every custom error of the contracts has an entry, keyed by its Solidity name; the API's
 * own errors sit beside them. Codes are stable: never reuse or renumber one.
 *
 * Numbering: 1xxx request and platform, 2xxx admission, 3xxx sandbox state, 4xxx caps,
 * 5xxx terms, 6xxx receivable lifecycle, 7xxx settlement token, 8xxx governance input.
 */

/** How a parameter of a message is shown: fen as yuan, dates, days, basis points as percent... */
/** `limit` is a `Limit` of domain/enums.ts, given by its name. */
export type ParamKind = "fen" | "date" | "days" | "bps" | "address" | "count" | "text" | "invoice" | "role" | "status" | "limit";

export interface ErrorEntry {
  code: string;
  /** HTTP status the API answers with. */
  status: number;
  /** The sandbox control or lifecycle rule that blocked the action (stable, dot-separated). */
  rule: string;
  /** True when the error is a sandbox control (DESIGN.md section 4) blocking the action. */
  policy: boolean;
  params: Record<string, ParamKind>;
  en: string;
  zh: string;
}

const e = (
  code: string,
  status: number,
  rule: string,
  params: Record<string, ParamKind>,
  en: string,
  zh: string,
  policy = false,
): ErrorEntry => ({ code, status, rule, params, en, zh, policy });

const p = (...args: Parameters<typeof e>) => ({ ...e(...args), policy: true });

export const errorCatalogue = {
  // ---- 1xxx: request and platform ------------------------------------------------------------
  ValidationFailed: e("SCF-1001", 400, "request.validation", {}, "The request is invalid: {details}.", "请求无效：{details}。"),
  Unauthenticated: e("SCF-1002", 401, "auth.session", {}, "Please sign in.", "请先登录。"),
  InvalidCredentials: e("SCF-1003", 401, "auth.credentials", {}, "Wrong username or password.", "用户名或密码错误。"),
  Forbidden: e("SCF-1004", 403, "auth.role", { role: "role" }, "Your role may not do this.", "您的角色无权执行此操作。"),
  NotFound: e("SCF-1005", 404, "request.notFound", { what: "text" }, "{what} was not found.", "未找到{what}。"),
  IdempotencyKeyReused: e(
    "SCF-1006",
    422,
    "request.idempotency",
    {},
    "This Idempotency-Key was already used for a different request.",
    "该幂等键已用于另一个不同的请求。",
  ),
  RequestInProgress: e(
    "SCF-1007",
    409,
    "request.idempotency",
    {},
    "A request with this Idempotency-Key is still in progress.",
    "使用该幂等键的请求仍在处理中。",
  ),
  TooManyRequests: e("SCF-1008", 429, "request.rateLimit", {}, "Too many attempts; try again later.", "尝试次数过多，请稍后再试。"),
  PayloadTooLarge: e("SCF-1009", 413, "request.size", { max: "text" }, "The upload exceeds {max}.", "上传文件超过 {max}。"),
  UnsupportedDocument: e(
    "SCF-1010",
    415,
    "documents.type",
    { detected: "text" },
    "Only PDF, PNG, JPEG or WebP documents are accepted (this file looks like {detected}).",
    "仅接受 PDF、PNG、JPEG 或 WebP 文件（此文件似乎是 {detected}）。",
  ),
  DocumentNotUploaded: e(
    "SCF-1011",
    422,
    "documents.anchor",
    { documentHash: "text" },
    "Upload the invoice document before submitting the invoice.",
    "提交发票前请先上传发票文件。",
  ),
  ExternalChainRefused: e(
    "SCF-1012",
    409,
    "chain.time",
    {},
    "Chain time can only be changed on the platform's own local chain.",
    "只有平台自带的本地链才能调整链上时间。",
  ),
  Internal: e("SCF-1000", 500, "platform.internal", {}, "Something went wrong (request {requestId}).", "系统出错（请求编号 {requestId}）。"),
  ChainUnavailable: e("SCF-1013", 503, "chain.unavailable", {}, "The chain is not reachable.", "无法连接区块链节点。"),
  ChainStarting: e(
    "SCF-1014",
    503,
    "chain.starting",
    { seconds: "count" },
    "The platform is still loading its chain; reading works, writing does not yet. Try again in {seconds} s.",
    "平台仍在加载区块链：现在可以查看，暂时不能提交操作。请在 {seconds} 秒后重试。",
  ),
  CrossSiteRequest: e(
    "SCF-1020",
    403,
    "request.origin",
    {},
    "This request did not come from the platform's own pages; sign in there and try again.",
    "该请求并非来自平台自己的页面；请在平台页面登录后重试。",
  ),

  // ---- 2xxx: admission -----------------------------------------------------------------------
  ParticipantNotAdmitted: p(
    "SCF-2001",
    409,
    "admission.admitted",
    { account: "address" },
    "{account} is not an admitted participant of the sandbox.",
    "{account} 不是沙盒的准入参与方。",
  ),
  ParticipantRoleMismatch: p(
    "SCF-2002",
    409,
    "admission.role",
    { account: "address", expected: "role", actual: "role" },
    "{account} is admitted as {actual}; this needs {expected}.",
    "{account} 的准入角色是{actual}，此操作需要{expected}。",
  ),
  ParticipantAdmissionExpired: p(
    "SCF-2003",
    409,
    "admission.expiry",
    { account: "address", admittedUntil: "date", now_: "date" },
    "The admission of {account} ended on {admittedUntil}.",
    "{account} 的准入已于 {admittedUntil} 到期。",
  ),
  ParticipantIsFrozen: p(
    "SCF-2004",
    409,
    "breakers.participantFreeze",
    { account: "address" },
    "{account} is frozen by the regulator.",
    "{account} 已被监管方冻结。",
  ),
  ParticipantAlreadyAdmitted: e(
    "SCF-2005",
    409,
    "admission.oneRole",
    { account: "address", role: "role" },
    "{account} is already admitted as {role}: one role per participant.",
    "{account} 已以{role}身份准入：每个参与方只能有一个角色。",
  ),
  ParticipantCapReached: p(
    "SCF-2006",
    409,
    "caps.participants",
    { cap: "count", admitted: "count" },
    "The sandbox admits at most {cap} participants ({admitted} now).",
    "沙盒最多准入 {cap} 个参与方（当前 {admitted} 个）。",
  ),
  InvalidAdmissionExpiry: e(
    "SCF-2007",
    422,
    "admission.expiry",
    { admittedUntil: "date", now_: "date" },
    "The admission must end after now ({admittedUntil} is not later than {now_}).",
    "准入截止时间必须晚于当前时间（{admittedUntil} 不晚于 {now_}）。",
  ),
  InvalidParticipant: e(
    "SCF-2008",
    422,
    "admission.participant",
    { account: "address", role: "role" },
    "{account} cannot be admitted as {role}.",
    "{account} 不能以{role}身份准入。",
  ),
  RegulatorSelfAction: e(
    "SCF-2009",
    409,
    "admission.selfAction",
    { regulator: "address" },
    "A regulator cannot remove, freeze or renew itself.",
    "监管方不能移除、冻结或续期自己。",
  ),
  ParticipantExposureOutstanding: e(
    "SCF-2011",
    409,
    "admission.exposure",
    { account: "address", exposureRole: "role", outstanding: "fen" },
    "{account} still has {outstanding} outstanding as {exposureRole}: it can only return in that role.",
    "{account} 作为{exposureRole}仍有 {outstanding} 未结清，只能以原角色重新准入。",
  ),
  LastStandingRegulator: e(
    "SCF-2012",
    409,
    "admission.lastRegulator",
    { regulator: "address" },
    "{regulator} is the last regulator admitted without expiry and not frozen: the sandbox must keep one to lift a pause.",
    "{regulator} 是最后一个无期限且未冻结的监管方：沙盒必须保留一个，才能解除暂停。",
  ),
  FreezeStateUnchanged: e(
    "SCF-2010",
    409,
    "breakers.participantFreeze",
    { account: "address", frozen: "text" },
    "{account} is already in that freeze state.",
    "{account} 已处于该冻结状态。",
  ),

  // ---- 3xxx: sandbox state -------------------------------------------------------------------
  SandboxIsPaused: p("SCF-3001", 409, "breakers.pause", {}, "The sandbox is paused by the regulator.", "沙盒已被监管方暂停。"),
  SandboxWindingDown: p(
    "SCF-3002",
    409,
    "window.windDown",
    {},
    "The sandbox is winding down: nothing new is issued or financed.",
    "沙盒正在退出：不再签发或融资新的应收账款。",
  ),
  OutsidePilotWindow: p(
    "SCF-3003",
    409,
    "window.pilot",
    { start: "date", end: "date", now_: "date" },
    "Issuance and financing are open from {start} to {end} only.",
    "签发和融资仅在 {start} 至 {end} 期间开放。",
  ),
  PauseStateUnchanged: e(
    "SCF-3004",
    409,
    "breakers.pause",
    { paused: "text" },
    "The sandbox is already in that state.",
    "沙盒已处于该状态。",
  ),
  WindDownAlreadyStarted: e("SCF-3005", 409, "window.windDown", {}, "The wind-down has already started.", "退出程序已经启动。"),

  // ---- 4xxx: caps ----------------------------------------------------------------------------
  SupplierFinancingCapExceeded: p(
    "SCF-4001",
    409,
    "caps.supplierFinancing",
    { supplier: "address", cap: "fen", outstanding: "fen", requested: "fen" },
    "Supplier financing cap: {outstanding} outstanding + {requested} requested exceeds the cap of {cap}.",
    "供应商融资上限：未结融资 {outstanding} + 本次 {requested} 超过上限 {cap}。",
  ),
  BankExposureCapExceeded: p(
    "SCF-4002",
    409,
    "caps.bankExposure",
    { bank: "address", cap: "fen", exposure: "fen", requested: "fen" },
    "Bank exposure cap: {exposure} exposure + {requested} requested exceeds the cap of {cap}.",
    "银行敞口上限：现有敞口 {exposure} + 本次 {requested} 超过上限 {cap}。",
  ),
  BuyerOutstandingCapExceeded: p(
    "SCF-4003",
    409,
    "caps.buyerOutstanding",
    { buyer: "address", cap: "fen", outstanding: "fen", requested: "fen" },
    "Core enterprise cap: {outstanding} confirmed outstanding + {requested} exceeds the cap of {cap}.",
    "核心企业确权上限：已确权未付 {outstanding} + 本次 {requested} 超过上限 {cap}。",
  ),
  PilotFinancingCapExceeded: p(
    "SCF-4004",
    409,
    "caps.pilotFinancing",
    { cap: "fen", financed: "fen", requested: "fen" },
    "Pilot financing cap: {financed} financed + {requested} requested exceeds the pilot's cap of {cap}.",
    "试点融资总额上限：已融资 {financed} + 本次 {requested} 超过试点上限 {cap}。",
  ),

  // ---- 5xxx: terms ---------------------------------------------------------------------------
  TenorExceedsMaximum: p(
    "SCF-5001",
    422,
    "terms.maxTenor",
    { maxTenorDays: "days", tenorDays: "days" },
    "Maximum tenor: {tenorDays} from issue to due date exceeds the maximum of {maxTenorDays}.",
    "最长期限：开票日至到期日 {tenorDays}，超过上限 {maxTenorDays}。",
  ),
  RateAboveCeiling: p(
    "SCF-5002",
    422,
    "terms.rateCeiling",
    { ceilingBps: "bps", rateBps: "bps" },
    "Rate ceiling: an annual discount rate of {rateBps} is above the ceiling of {ceilingBps}.",
    "利率上限：年化贴现率 {rateBps} 高于上限 {ceilingBps}。",
  ),
  PieceBelowMinimum: p(
    "SCF-5003",
    422,
    "terms.minPiece",
    { minimum: "fen", amount: "fen" },
    "Minimum piece: a piece of {amount} is below the minimum of {minimum}.",
    "最小拆分金额：拆分后的 {amount} 低于最低 {minimum}。",
  ),
  TierDepthExceeded: p(
    "SCF-5004",
    422,
    "terms.maxTierDepth",
    { maxTierDepth: "count", tier: "count" },
    "Maximum tier depth: the piece would reach tier {tier}, deeper than {maxTierDepth}.",
    "最大层级：该份额将到达第 {tier} 级，超过上限 {maxTierDepth} 级。",
  ),

  // ---- 6xxx: receivable lifecycle -------------------------------------------------------------
  InvoiceNumberLength: e(
    "SCF-6001",
    422,
    "invoice.number",
    { length: "count", maxLength: "count" },
    "The invoice number must have 1 to {maxLength} characters.",
    "发票号码长度须为 1 至 {maxLength} 个字符。",
  ),
  InvoiceNumberCharacter: e(
    "SCF-6002",
    422,
    "invoice.number",
    { position: "count" },
    "The invoice number may contain only letters, digits, spaces and - _ / . (position {position}).",
    "发票号码只能包含字母、数字、空格及 - _ / .（第 {position} 位）。",
  ),
  InvoiceAlreadyExists: e(
    "SCF-6003",
    409,
    "invoice.unique",
    { invoiceId: "invoice" },
    "This invoice (same seller, buyer and invoice number) is already on the platform.",
    "该发票（相同卖方、买方和发票号码）已在平台登记。",
  ),
  InvoiceNotFound: e("SCF-6004", 404, "invoice.exists", { invoiceId: "invoice" }, "No such invoice.", "找不到该发票。"),
  InvalidFaceAmount: e(
    "SCF-6005",
    422,
    "invoice.amount",
    { amount: "fen", max: "fen" },
    "The face amount must be between 0.01 and {max}.",
    "票面金额须在 0.01 至 {max} 之间。",
  ),
  InvalidInvoiceDates: e(
    "SCF-6006",
    422,
    "invoice.dates",
    { issueDate: "date", dueDate: "date", now_: "date" },
    "The issue date must not be in the future and the due date must be later than today.",
    "开票日期不能晚于今天，到期日必须晚于今天。",
  ),
  DocumentHashRequired: e("SCF-6007", 422, "invoice.document", {}, "The invoice document's hash is required.", "必须提供发票文件的哈希值。"),
  NotInvoiceBuyer: e(
    "SCF-6008",
    403,
    "invoice.buyer",
    { buyer: "address", caller: "address" },
    "Only the invoice's buyer may do this.",
    "只有该发票的买方可以执行此操作。",
  ),
  InvoiceStatusMismatch: e(
    "SCF-6009",
    409,
    "invoice.status",
    { actual: "status", required: "status" },
    "The invoice is {actual}; this needs it {required}.",
    "该发票状态为{actual}，此操作需要{required}。",
  ),
  ReceivableIsFrozen: p(
    "SCF-6010",
    409,
    "breakers.receivableFreeze",
    { invoiceId: "invoice" },
    "This receivable is frozen by the regulator.",
    "该应收账款已被监管方冻结。",
  ),
  ReceivableFreezeUnchanged: e(
    "SCF-6011",
    409,
    "breakers.receivableFreeze",
    { invoiceId: "invoice", frozen: "text" },
    "The receivable is already in that freeze state.",
    "该应收账款已处于该冻结状态。",
  ),
  ReceivableMatured: e(
    "SCF-6012",
    409,
    "invoice.maturity",
    { dueDate: "date", now_: "date" },
    "The receivable was due on {dueDate}: it no longer moves or gets financed.",
    "该应收账款已于 {dueDate} 到期，不能再转让或融资。",
  ),
  PaymentsStarted: e(
    "SCF-6013",
    409,
    "invoice.paymentsStarted",
    { paidAmount: "fen" },
    "The buyer has already paid {paidAmount}: pieces no longer move or get financed.",
    "买方已支付 {paidAmount}，份额不能再转让或融资。",
  ),
  // SCF-6014 (PieceLimitReached, a limit per invoice) is retired: splits are now counted per piece.
  PieceNotFound: e("SCF-6015", 404, "pieces.exists", { pieceIndex: "count" }, "No such piece.", "找不到该份额。"),
  NotPieceHolder: e(
    "SCF-6016",
    403,
    "pieces.holder",
    { holder: "address", caller: "address" },
    "Only the holder of the piece may do this.",
    "只有该份额的持有人可以执行此操作。",
  ),
  PieceNotActive: e(
    "SCF-6017",
    409,
    "pieces.status",
    { status: "status" },
    "The piece is {status}: it cannot move or be financed now.",
    "该份额状态为{status}，目前不能转让或融资。",
  ),
  InvalidTransferAmount: e(
    "SCF-6018",
    422,
    "pieces.amount",
    { amount: "fen", pieceAmount: "fen" },
    "The amount must be between 0.01 and the piece's {pieceAmount}.",
    "金额须在 0.01 至该份额的 {pieceAmount} 之间。",
  ),
  InvalidRecipient: e("SCF-6019", 422, "pieces.recipient", { to: "address" }, "A whole piece cannot go to its own holder.", "整份额不能转给持有人自己。"),
  PieceSplitsExhausted: e(
    "SCF-6027",
    409,
    "pieces.splits",
    { pieceIndex: "count" },
    "Piece {pieceIndex} has no split left: its share of the receivable's 64 pieces is used.",
    "份额 {pieceIndex} 已无可拆分次数：它在该应收账款 64 份中的配额已用完。",
  ),
  FinancingRequestChanged: e(
    "SCF-6028",
    409,
    "financing.reviewed",
    { holder: "address", amount: "fen", withRecourse: "text" },
    "The pending request is not the one reviewed: it is now {holder}'s, for {amount}, with recourse {withRecourse}.",
    "待处理的申请已不是审核过的那一笔：现为 {holder} 的申请，金额 {amount}，附追索权 {withRecourse}。",
  ),
  RateAboveRequestedMaximum: e(
    "SCF-6029",
    422,
    "financing.maxRate",
    { maxRateBps: "bps", rateBps: "bps" },
    "The holder accepts at most {maxRateBps}; {rateBps} is above it.",
    "持有方可接受的最高利率为 {maxRateBps}，{rateBps} 超过了该利率。",
  ),
  NoPendingFinancing: e(
    "SCF-6020",
    409,
    "financing.pending",
    { status: "status" },
    "There is no pending financing request for this piece.",
    "该份额没有待处理的融资申请。",
  ),
  NotFinancingBank: e(
    "SCF-6021",
    403,
    "financing.bank",
    { bank: "address", caller: "address" },
    "Only the bank named in the request may do this.",
    "只有申请中指定的银行可以执行此操作。",
  ),
  DiscountExceedsAmount: e(
    "SCF-6022",
    422,
    "financing.discount",
    { amount: "fen", discount: "fen" },
    "The discount of {discount} would consume the whole piece of {amount}.",
    "贴现息 {discount} 将耗尽整个份额 {amount}。",
  ),
  InvalidPaymentAmount: e(
    "SCF-6023",
    422,
    "settlement.amount",
    { outstanding: "fen", amount: "fen" },
    "A payment must be between 0.01 and the outstanding {outstanding}.",
    "付款金额须在 0.01 至未付金额 {outstanding} 之间。",
  ),
  NotYetOverdue: e(
    "SCF-6024",
    409,
    "settlement.overdue",
    { at: "date", now_: "date" },
    "The receivable becomes overdue only after {at}.",
    "该应收账款在 {at} 之后才逾期。",
  ),
  NotYetDefaulted: e(
    "SCF-6025",
    409,
    "settlement.default",
    { at: "date", now_: "date" },
    "The receivable defaults only after {at}.",
    "该应收账款在 {at} 之后才违约。",
  ),
  RecourseNotAvailable: e(
    "SCF-6026",
    409,
    "settlement.recourse",
    { status: "status" },
    "Recourse is not available for this piece (financing {status}).",
    "该份额不可追索（融资状态：{status}）。",
  ),

  // ---- 7xxx: settlement token ----------------------------------------------------------------
  ERC20InsufficientBalance: e(
    "SCF-7001",
    409,
    "token.balance",
    { sender: "address", balance: "fen", needed: "fen" },
    "Insufficient funds: {balance} available, {needed} needed.",
    "余额不足：可用 {balance}，需要 {needed}。",
  ),
  ERC20InsufficientAllowance: e("SCF-7002", 409, "token.allowance", { allowance: "fen", needed: "fen" }, "Insufficient allowance.", "授权额度不足。"),
  ERC20InvalidApprover: e("SCF-7003", 422, "token.address", { approver: "address" }, "Invalid approver.", "无效的授权方。"),
  ERC20InvalidReceiver: e("SCF-7004", 422, "token.address", { receiver: "address" }, "Invalid receiver.", "无效的收款方。"),
  ERC20InvalidSender: e("SCF-7005", 422, "token.address", { sender: "address" }, "Invalid sender.", "无效的付款方。"),
  ERC20InvalidSpender: e("SCF-7006", 422, "token.address", { spender: "address" }, "Invalid spender.", "无效的被授权方。"),
  SettlementTokenUnauthorized: e("SCF-7007", 403, "token.role", { account: "address" }, "Only the operator may do this.", "只有运营方可以执行此操作。"),
  SettlementAgentAlreadyBound: e("SCF-7008", 409, "token.agent", { agent: "address" }, "The settlement agent is already bound.", "结算代理已绑定。"),

  // ---- 8xxx: governance input ----------------------------------------------------------------
  ReasonRequired: e("SCF-8001", 422, "governance.reason", {}, "A reason is required.", "必须填写原因。"),
  LimitOutOfRange: e(
    "SCF-8002",
    422,
    "governance.limitRange",
    { limit: "limit", value: "text", min: "text", max: "text" },
    "{limit}: {value} is outside the allowed range {min} to {max}.",
    "{limit}：{value} 超出允许范围 {min} 至 {max}。",
  ),
  InvalidPilotWindow: e(
    "SCF-8003",
    422,
    "governance.window",
    { start: "date", end: "date" },
    "The pilot window must start before it ends.",
    "试点开始时间必须早于结束时间。",
  ),
  UnauthorizedLedger: e("SCF-8004", 403, "governance.ledger", { caller: "address" }, "Only the bound ledger may record exposure.", "只有绑定的账本合约可以记录敞口。"),
  LedgerAlreadyBound: e("SCF-8005", 409, "governance.ledger", { ledger: "address" }, "The ledger is already bound.", "账本合约已绑定。"),
} as const satisfies Record<string, ErrorEntry>;

export type ErrorName = keyof typeof errorCatalogue;

/** The catalogue entry of `name`, or the internal error for an unknown name. */
export function errorEntry(name: string): ErrorEntry {
  return (errorCatalogue as Record<string, ErrorEntry>)[name] ?? errorCatalogue.Internal;
}

/** Fills `{param}` placeholders of a message template with already formatted values. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
