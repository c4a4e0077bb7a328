import { useQuery } from "@tanstack/react-query";

import { pageOf, Payment } from "@domain/api";

import { request } from "../lib/api-client";
import { queryKeys } from "./query-keys";

const PaymentPage = pageOf(Payment);

export const getPayments = (filter: { invoiceId?: string; buyer?: string }) => request("/payments", { query: { limit: 200, ...filter }, schema: PaymentPage });

/** Payments the user made or received (all of them for supervisors). */
export const usePayments = (filter: { invoiceId?: string; buyer?: string } = {}) =>
  useQuery({ queryKey: [...queryKeys.payments, filter], queryFn: () => getPayments(filter) });
