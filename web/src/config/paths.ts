/** Typed route paths: every link and route of the UI is built here. */
import type { RoleName } from "@domain/enums";

const id = (invoiceId: string) => encodeURIComponent(invoiceId);

export const paths = {
  login: "/login",
  supplier: {
    root: "/supplier",
    overview: () => "/supplier",
    newInvoice: () => "/supplier/invoices/new",
    receivables: () => "/supplier/receivables",
    receivable: (invoiceId: string) => `/supplier/receivables/${id(invoiceId)}`,
    financings: () => "/supplier/financings",
  },
  buyer: {
    root: "/buyer",
    queue: () => "/buyer",
    payables: () => "/buyer/payables",
    receivable: (invoiceId: string) => `/buyer/receivables/${id(invoiceId)}`,
  },
  bank: {
    root: "/bank",
    requests: () => "/bank",
    portfolio: () => "/bank/portfolio",
    receivable: (invoiceId: string) => `/bank/receivables/${id(invoiceId)}`,
  },
  regulator: {
    root: "/regulator",
    dashboard: () => "/regulator",
    receivables: () => "/regulator/receivables",
    receivable: (invoiceId: string) => `/regulator/receivables/${id(invoiceId)}`,
    policy: () => "/regulator/policy",
    participants: () => "/regulator/participants",
    alerts: () => "/regulator/alerts",
    audit: () => "/regulator/audit",
    simulations: () => "/regulator/simulations",
  },
  operator: { root: "/operator" },
} as const;

/** The portal a role lands on after signing in. */
export function homeOf(role: RoleName | string): string {
  switch (role) {
    case "Supplier":
      return paths.supplier.root;
    case "CoreEnterprise":
      return paths.buyer.root;
    case "Bank":
      return paths.bank.root;
    case "Regulator":
      return paths.regulator.root;
    default:
      return paths.operator.root;
  }
}
