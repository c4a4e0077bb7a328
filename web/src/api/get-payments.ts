import { useQuery } from "@tanstack/react-query";

import { pageOf, Payment } from "@domain/api";

import { request } from "../lib/api-client";

const PaymentPage = pageOf(Payment);

export const getPayments = (filter: { invoiceId?: string; buyer?: string }) => request("/payments", { query: { limit: 200, ...filter }, schema: PaymentPage });

/** Payments the user made or received (all of them for supervisors). */
export const usePayments = (filter: { invoiceId?: string; buyer?: string } = {}) =>
  useQuery({ queryKey: ["payments", filter], queryFn: () => getPayments(filter) });
