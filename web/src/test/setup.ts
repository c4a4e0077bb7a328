/**
 * jsdom for Mantine and the UI: the browser APIs jsdom lacks, jest-dom matchers, both languages
 * loaded synchronously, and a clean mocked API for every test.
 */
import "@testing-library/jest-dom/vitest";

import { cleanup, configure } from "@testing-library/react";
import { afterEach, beforeAll, vi } from "vitest";

import { initI18n } from "../i18n";
import { en } from "../i18n/en";
import { zh } from "../i18n/zh";
import { setSessionToken } from "../lib/api-client";

Object.defineProperty(window, "matchMedia", {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }),
});

class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
window.ResizeObserver = ResizeObserverStub as unknown as typeof ResizeObserver;
window.HTMLElement.prototype.scrollIntoView = () => {};
// Mantine's autosize textareas listen for web fonts loading.
Object.defineProperty(document, "fonts", { value: { addEventListener() {}, removeEventListener() {}, ready: Promise.resolve() }, configurable: true });
window.scrollTo = () => {};

// Pages are lazy chunks: give the first render of a route time to load them.
configure({ asyncUtilTimeout: 10_000 });

beforeAll(async () => {
  await initI18n("en", { en, zh });
});

// Markup a browser would repair on its own terms (a <div> inside a <p>, a <p> inside a <p>):
// React only warns, so any such warning fails the test that rendered it.
const invalidNesting: string[] = [];
const consoleError = console.error.bind(console);
console.error = (...args: unknown[]) => {
  // React passes a format string and its values ("In HTML, %s cannot be a descendant of <%s>.").
  const [format, ...values] = args.map(String);
  const message = format.replace(/%s/g, () => values.shift() ?? "");
  if (/cannot be a descendant of|cannot contain a nested/.test(message)) invalidNesting.push(message.split("\n")[0]);
  consoleError(...args);
};

afterEach(async () => {
  const found = invalidNesting.splice(0);
  if (found.length > 0) throw new Error(`invalid HTML nesting rendered: ${[...new Set(found)].join("; ")}`);
  cleanup();
  vi.unstubAllGlobals();
  setSessionToken(null);
  localStorage.clear();
  const { i18n } = await import("../i18n");
  if (i18n.language !== "en") await i18n.changeLanguage("en");
});
