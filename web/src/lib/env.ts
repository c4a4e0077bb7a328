/**
 * The UI's environment, parsed once at start: a wrong value fails loudly here instead of as a
 * confusing request later. The API lives on the same origin under /api unless told otherwise.
 */
import { z } from "zod";

const schema = z.object({
  VITE_API_BASE: z
    .string()
    .regex(/^(\/|https?:\/\/)/, "must be an absolute path or an http(s) URL")
    .default("/api"),
  MODE: z.string().default("production"),
});

const parsed = schema.safeParse(import.meta.env);
if (!parsed.success) {
  throw new Error(`Invalid web UI environment: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
}

export const env = { apiBase: parsed.data.VITE_API_BASE.replace(/\/$/, ""), mode: parsed.data.MODE };
