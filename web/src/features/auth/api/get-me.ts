import { CurrentUser } from "@domain/api";

import { request } from "../../../lib/api-client";

/** The signed-in user: restores a session from its cookie after a reload. */
export const getMe = () => request("/auth/me", { schema: CurrentUser });
