/** Headless chromium (the system's, TOOLCHAIN.md) and helpers to act as one signed-in user per context. */
import { mkdirSync } from "node:fs";
import path from "node:path";

import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const SCREENSHOTS = path.resolve(import.meta.dirname, "../screenshots");

export async function launch(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far (a clean run has none). */
  errors: string[];
}

/** A new browser context (its own cookies) signed in through the login page, in `lang`. */
export async function signIn(browser: Browser, url: string, username: string, lang: "en" | "zh" = "en"): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: lang === "zh" ? "zh-CN" : "en-US", timezoneId: "Asia/Shanghai" });
  await context.addInitScript((l) => window.localStorage.setItem("scf-lang", l), lang);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    // The login page asks whether a session exists: its 401 is expected.
    if (m.type() === "error" && !m.text().includes("401")) errors.push(`console: ${m.text()}`);
  });
  await page.goto(`${url}/login`);
  await page.getByLabel(lang === "zh" ? "用户名" : "Username").fill(username);
  await page.getByLabel(lang === "zh" ? "密码" : "Password", { exact: false }).first().fill("demo1234");
  await page.getByRole("button", { name: lang === "zh" ? "登录" : "Sign in", exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return { context, page, errors };
}

export async function shot(page: Page, name: string): Promise<string> {
  const file = path.join(SCREENSHOTS, `${name}.png`);
  // Let charts and transitions settle; capture from the top of the page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(400);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Chooses `option` in the Mantine select labelled `label` (inside `scope`). */
export async function choose(scope: Page | ReturnType<Page["getByRole"]>, page: Page, label: string | RegExp, option: string | RegExp): Promise<void> {
  await scope.getByRole("combobox", { name: label }).click();
  await page.getByRole("option", { name: option }).click();
}
