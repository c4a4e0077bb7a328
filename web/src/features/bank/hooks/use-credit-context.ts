/**
 * What a credit officer needs beside a financing request, composed from the API's general reads
 * (participants, financings, policy, the invoice): the buyer's confirmed outstanding, the
 * supplier's history with this bank, the caps still free and the rate ceiling.
 */
import type { Financing, Participant, Policy } from "@domain/api";

import { useFinancings } from "../../../api/get-financings";
import { useInvoice } from "../../../api/get-invoice";
import { useParticipants } from "../../../api/get-participants";
import { usePolicy } from "../../../api/get-policy";

const UNLIMITED = 2n ** 100n;

export interface CapRoom {
  /** Limit name (policy.limits key). */
  limit: "SupplierFinancingCap" | "BankExposureCap" | "BuyerOutstandingCap" | "PilotFinancingCap";
  cap: bigint;
  used: bigint;
  /** cap - used (0 when over). */
  free: bigint;
  unlimited: boolean;
  /** Whether this request's amount still fits. */
  fits: boolean;
}

export function capRooms(policy: Policy, amount: bigint, supplier?: Participant, bank?: Participant): CapRoom[] {
  const room = (limit: CapRoom["limit"], used: bigint, counts: boolean): CapRoom => {
    const cap = BigInt(policy.limits[limit]);
    const unlimited = cap >= UNLIMITED || cap === 0n;
    const free = cap > used ? cap - used : 0n;
    return { limit, cap, used, free, unlimited, fits: !counts || unlimited || used + amount <= cap };
  };
  return [
    room("SupplierFinancingCap", BigInt(supplier?.outstanding ?? "0"), true),
    room("BankExposureCap", BigInt(bank?.outstanding ?? "0"), true),
    room("PilotFinancingCap", BigInt(policy.pilotFinanced), true),
  ];
}

export interface SupplierHistory {
  approved: Financing[];
  rejected: Financing[];
  recoursed: Financing[];
  other: Financing[];
}

export function historyOf(financings: Financing[], holder: string, exceptId: number): SupplierHistory {
  const mine = financings.filter((f) => f.holder.address.toLowerCase() === holder.toLowerCase() && f.id !== exceptId);
  return {
    approved: mine.filter((f) => f.status === "Approved"),
    rejected: mine.filter((f) => f.status === "Rejected"),
    recoursed: mine.filter((f) => f.status === "Recoursed"),
    other: mine.filter((f) => f.status === "Requested" || f.status === "Cancelled"),
  };
}

export function useCreditContext(request: Financing, bankAddress: string) {
  const policy = usePolicy();
  const participants = useParticipants();
  const history = useFinancings({ holder: request.holder.address });
  const invoice = useInvoice(request.invoiceId);
  const find = (address: string) => participants.data?.items.find((p) => p.address.toLowerCase() === address.toLowerCase());
  const supplier = find(request.holder.address);
  const buyer = find(request.buyer.address);
  const bank = find(bankAddress);
  return {
    policy: policy.data,
    supplier,
    buyer,
    bank,
    invoice: invoice.data,
    history: history.data === undefined ? undefined : historyOf(history.data.items, request.holder.address, request.id),
    rooms: policy.data === undefined ? undefined : capRooms(policy.data, BigInt(request.amount), supplier, bank),
    buyerRoom:
      policy.data === undefined || buyer === undefined ? undefined : { cap: BigInt(policy.data.limits.BuyerOutstandingCap), used: BigInt(buyer.outstanding) },
    isPending: policy.isPending || participants.isPending || invoice.isPending,
    error: policy.error ?? participants.error ?? invoice.error ?? history.error,
  };
}
