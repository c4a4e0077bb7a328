import { LoginResponse } from "@domain/api";

import { request } from "../../../lib/api-client";

export const login = (username: string, password: string) => request("/auth/login", { method: "POST", body: { username, password }, schema: LoginResponse });
