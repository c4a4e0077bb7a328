import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { z } from "zod";

import { AuditEntry, pageOf, type AuditQuery } from "@domain/api";

import { apiUrl, request } from "../../../lib/api-client";
import { queryKeys } from "../../../api/query-keys";

const AuditPage = pageOf(AuditEntry);

/** The trail's filters as the API's AuditQuery takes them (times in Unix seconds, inclusive). */
export type AuditFilter = Pick<z.infer<typeof AuditQuery>, "name" | "invoiceId" | "actor" | "from" | "to">;

export const getAudit = (filter: AuditFilter, page: { limit: number; offset: number }) =>
  request("/audit", { query: { ...filter, ...page }, schema: AuditPage });

/** The audit trail: every contract event, newest first, filtered and paged. */
export const useAudit = (filter: AuditFilter, page: { limit: number; offset: number }) =>
  useQuery({ queryKey: [...queryKeys.audit, filter, page], queryFn: () => getAudit(filter, page), placeholderData: keepPreviousData });

/** The same filtered trail as CSV (oldest first); the session cookie authorizes the download. */
export const auditCsvUrl = (filter: AuditFilter) => apiUrl("/audit.csv", { ...filter });
