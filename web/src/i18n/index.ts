/**
 * Translations: every string of the UI in 简体中文 and English (i18n/zh.ts mirrors i18n/en.ts
 * key for key; the compiler checks it). Only the language in use is downloaded; switching loads
 * the other one. The choice is remembered on this browser; a first visit follows the browser.
 */
import i18n from "i18next";
import { initReactI18next } from "react-i18next";

import type { Messages } from "./en";

export type { Messages } from "./en";
export type Lang = "zh" | "en";

const STORAGE_KEY = "scf-lang";

const loaders: Record<Lang, () => Promise<Messages>> = {
  en: () => import("./en").then((m) => m.en),
  zh: () => import("./zh").then((m) => m.zh),
};

function initialLanguage(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === "zh" || saved === "en") return saved;
  } catch {
    // Storage unavailable: fall back to the browser's language.
  }
  return typeof navigator !== "undefined" && navigator.language.toLowerCase().startsWith("en") ? "en" : "zh";
}

async function ensureLoaded(lang: Lang): Promise<void> {
  if (i18n.hasResourceBundle(lang, "translation")) return;
  i18n.addResourceBundle(lang, "translation", await loaders[lang]());
}

function markDocument(lang: Lang) {
  if (typeof document !== "undefined") document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
}

/** Starts i18next with `lang` (default: remembered or browser's); `resources` skips downloading (tests). */
export async function initI18n(lang: Lang = initialLanguage(), resources?: Partial<Record<Lang, Messages>>) {
  await i18n.use(initReactI18next).init({
    resources: Object.fromEntries(Object.entries(resources ?? {}).map(([l, m]) => [l, { translation: m }])),
    lng: lang,
    fallbackLng: false,
    supportedLngs: ["zh", "en"],
    // One placeholder syntax for the UI's strings and the error catalogue's messages: {name}.
    interpolation: { escapeValue: false, prefix: "{", suffix: "}" },
    initAsync: false,
    returnNull: false,
    partialBundledLanguages: true,
  });
  await ensureLoaded(lang);
  await i18n.changeLanguage(lang);
  markDocument(lang);
  return i18n;
}

export async function setLanguage(lang: Lang): Promise<void> {
  await ensureLoaded(lang);
  await i18n.changeLanguage(lang);
  markDocument(lang);
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered; the switch still applies.
  }
}

export { i18n };
