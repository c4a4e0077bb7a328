import { apiUrl } from "../lib/api-client";

/** Link to an invoice document (the session cookie authorizes it). */
export const documentUrl = (sha256: string) => apiUrl(`/documents/${sha256.replace(/^0x/, "")}`);
