import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { apiError, mockApi, reply } from "../../../test/api-mock";
import { baseRoutes, users } from "../../../test/fixtures";
import { renderRoute } from "../../../test/render";

describe("signing in", () => {
  const anonymous = {
    "GET /api/auth/me": () => reply(401, { error: { code: "SCF-1002", name: "Unauthenticated", rule: "auth.session", policy: false, message: "", params: {}, requestId: "" } }),
    "GET /api/auth/demo-logins": () => ({ logins: [{ username: "supplier1", password: "demo1234", role: "Supplier", name: "Anda Auto Parts" }] }),
  };

  it("when a supplier signs in, then the supplier portal opens", async () => {
    const api = mockApi({
      ...anonymous,
      "POST /api/auth/login": () => ({ token: "t1", expiresAt: 2e9, user: users.supplier1 }),
      ...Object.fromEntries(Object.entries(baseRoutes(users.supplier1)).filter(([k]) => k !== "GET /api/auth/me")),
      "GET /api/invoices": () => ({ items: [], total: 0, limit: 200, offset: 0 }),
      "GET /api/financings": () => ({ items: [], total: 0, limit: 200, offset: 0 }),
    });
    const { user } = renderRoute("/login");
    await user.click(await screen.findByRole("button", { name: "supplier1" }));
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("heading", { name: "Overview" })).toBeInTheDocument();
    expect(api.callsTo("POST /api/auth/login")[0].body).toEqual({ username: "supplier1", password: "demo1234" });
    // Later requests carry the session token.
    await waitFor(() => expect(api.callsTo("GET /api/invoices")[0]?.headers.get("authorization")).toBe("Bearer t1"));
  });

  it("when the password is wrong, then the password field says so, in the user's language", async () => {
    mockApi({ ...anonymous, "POST /api/auth/login": () => apiError(401, "InvalidCredentials", "SCF-1003", "auth.credentials") });
    const { user } = renderRoute("/login");
    await user.click(await screen.findByRole("radio", { name: "简体中文" }));
    await user.type(await screen.findByLabelText(/用户名/), "supplier1");
    await user.type(screen.getByLabelText(/密码/), "wrong");
    await user.click(screen.getByRole("button", { name: "登录" }));
    const message = await screen.findByText("用户名或密码错误。");
    // Shown at the password field, not as a banner.
    expect(screen.getByLabelText(/密码/).closest(".mantine-InputWrapper-root")).toContainElement(message);
  });

  it("when fields are empty, then nothing is sent and both say they are required", async () => {
    const api = mockApi(anonymous);
    const { user } = renderRoute("/login");
    await user.click(await screen.findByRole("button", { name: "Sign in" }));
    expect(await screen.findAllByText("Required")).toHaveLength(2);
    expect(api.callsTo("POST /api/auth/login")).toHaveLength(0);
  });

  it("when a signed-in supplier opens the regulator portal, then it lands in its own portal", async () => {
    mockApi({
      ...baseRoutes(users.supplier1),
      "GET /api/invoices": () => ({ items: [], total: 0, limit: 200, offset: 0 }),
      "GET /api/financings": () => ({ items: [], total: 0, limit: 200, offset: 0 }),
    });
    renderRoute("/regulator/policy");
    expect(await screen.findByRole("heading", { name: "Overview" })).toBeInTheDocument();
  });
});
