/**
 * The services a started platform offers, as one bundle: what the routes are built from and what
 * the simulator and the tests call. Built in one place, the composition root (platform.ts).
 */
import type { AuditService } from "./audit.js";
import type { AuthService } from "./auth.js";
import type { ChainControlService } from "./chain-control.js";
import type { DocumentService } from "./documents.js";
import type { FinancingService } from "./financing.js";
import type { InvoiceService } from "./invoices.js";
import type { OversightService } from "./oversight.js";
import type { ParticipantService } from "./participants.js";
import type { PolicyService } from "./policy.js";
import type { RegulatorService } from "./regulator.js";
import type { SettlementService } from "./settlement.js";

export interface Services {
  auth: AuthService;
  policy: PolicyService;
  invoices: InvoiceService;
  financing: FinancingService;
  settlement: SettlementService;
  participants: ParticipantService;
  regulator: RegulatorService;
  documents: DocumentService;
  audit: AuditService;
  oversight: OversightService;
  chain: ChainControlService;
}
