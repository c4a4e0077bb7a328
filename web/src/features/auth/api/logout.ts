import { z } from "zod";

import { request } from "../../../lib/api-client";

export const logout = () => request("/auth/logout", { method: "POST", schema: z.object({ ok: z.literal(true) }) });
