import { DocumentInfo } from "@domain/api";

import { stale, writes } from "../../../api/query-keys";
import { request } from "../../../lib/api-client";

/** Uploads an invoice document (PDF, PNG, JPEG or WebP); the answer carries its SHA-256. */
export const uploadDocument = writes(stale.none, (file: File, idempotencyKey: string) => {
  const form = new FormData();
  form.append("file", file);
  return request("/documents", { method: "POST", form, schema: DocumentInfo, idempotencyKey });
});
