import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { AuditEntry, pageOf } from "@domain/api";

import { apiUrl, request } from "../../../lib/api-client";
import { queryKeys } from "../../../api/query-keys";

const AuditPage = pageOf(AuditEntry);

export interface AuditFilter {
  name?: string;
  invoiceId?: string;
  actor?: string;
  /** Unix seconds, inclusive. */
  from?: number;
  to?: number;
}

export const getAudit = (filter: AuditFilter, page: { limit: number; offset: number }) =>
  request("/audit", { query: { ...filter, ...page }, schema: AuditPage });

/** The audit trail: every contract event, newest first, filtered and paged. */
export const useAudit = (filter: AuditFilter, page: { limit: number; offset: number }) =>
  useQuery({ queryKey: [...queryKeys.audit, filter, page], queryFn: () => getAudit(filter, page), placeholderData: keepPreviousData });

/** The same filtered trail as CSV (oldest first); the session cookie authorizes the download. */
export const auditCsvUrl = (filter: AuditFilter) => apiUrl("/audit.csv", { ...filter });
