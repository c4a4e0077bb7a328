/**
 * The invoice-number rule of contracts/libraries/InvoiceNumber.sol, for forms and the API to
 * refuse what the ledger would: at most 64 bytes; ASCII letters, digits, and the separators
 * space - _ / . (dropped when numbers are compared); at least one letter or digit.
 */

/** InvoiceNumber.MAX_LENGTH: bytes as submitted, separators included. */
export const INVOICE_NUMBER_MAX_LENGTH = 64;

const ALLOWED = /^[A-Za-z0-9 \-_/.]*$/;

/** The key the ledger compares (upper-cased, separators dropped), or null when the contract would revert. */
export function normalizeInvoiceNumber(raw: string): string | null {
  if (raw.length > INVOICE_NUMBER_MAX_LENGTH || !ALLOWED.test(raw)) return null;
  const normalized = raw.replace(/[ \-_/.]/g, "").toUpperCase();
  return normalized.length === 0 ? null : normalized;
}
