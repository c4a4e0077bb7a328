/**
 * Typed route paths, declared once: the router takes each page's `.pattern`, the nav and every
 * link or navigate call the builder.
 */
import type { RoleName } from "@domain/enums";

/** A page without parameters: its pattern for the router, and the link to it. */
const page = <P extends string>(pattern: P) => Object.assign((): string => pattern, { pattern });
/** A receivable's page in a portal: the router matches `:invoiceId`, links fill it in (encoded). */
const receivablePage = <P extends `/${string}/:invoiceId`>(pattern: P) =>
  Object.assign((invoiceId: string): string => pattern.replace(":invoiceId", encodeURIComponent(invoiceId)), { pattern });

// Each portal's root, under which its pages are.
const SUPPLIER = "/supplier";
const BUYER = "/buyer";
const BANK = "/bank";
const REGULATOR = "/regulator";
const OPERATOR = "/operator";

export const paths = {
  home: "/",
  login: "/login",
  supplier: {
    root: SUPPLIER,
    overview: page(SUPPLIER),
    newInvoice: page(`${SUPPLIER}/invoices/new`),
    receivables: page(`${SUPPLIER}/receivables`),
    receivable: receivablePage(`${SUPPLIER}/receivables/:invoiceId`),
    financings: page(`${SUPPLIER}/financings`),
  },
  buyer: {
    root: BUYER,
    queue: page(BUYER),
    payables: page(`${BUYER}/payables`),
    receivable: receivablePage(`${BUYER}/receivables/:invoiceId`),
  },
  bank: {
    root: BANK,
    requests: page(BANK),
    portfolio: page(`${BANK}/portfolio`),
    receivable: receivablePage(`${BANK}/receivables/:invoiceId`),
  },
  regulator: {
    root: REGULATOR,
    dashboard: page(REGULATOR),
    receivables: page(`${REGULATOR}/receivables`),
    receivable: receivablePage(`${REGULATOR}/receivables/:invoiceId`),
    policy: page(`${REGULATOR}/policy`),
    participants: page(`${REGULATOR}/participants`),
    alerts: page(`${REGULATOR}/alerts`),
    audit: page(`${REGULATOR}/audit`),
    simulations: page(`${REGULATOR}/simulations`),
  },
  operator: { root: OPERATOR, home: page(OPERATOR) },
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
