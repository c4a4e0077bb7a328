import { describe, expect, it } from "vitest";

import { errorCatalogue } from "@domain/errors";
import { eventNames } from "@domain/generated/enums";

import { i18n } from ".";
import { en } from "./en";
import { zh } from "./zh";

const leaves = (o: object, prefix = ""): [string, string][] =>
  Object.entries(o).flatMap(([k, v]) => (typeof v === "string" ? [[`${prefix}${k}`, v] as [string, string]] : leaves(v as object, `${prefix}${k}.`)));

describe("translations", () => {
  it("when a string exists in English, then it exists in Chinese with the same placeholders, and is not empty", () => {
    const zhMap = new Map(leaves(zh));
    for (const [key, text] of leaves(en)) {
      const other = zhMap.get(key);
      expect(other, key).toBeTruthy();
      const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(placeholders(other!), key).toEqual(placeholders(text));
    }
    expect(leaves(zh).length).toBe(leaves(en).length);
  });

  it("when a string has a placeholder, then it is written {name}, like the error catalogue's, in both languages", () => {
    for (const [key, text] of [...leaves(en), ...leaves(zh)]) expect(text, key).not.toMatch(/\{\{|\}\}/);
    expect(i18n.getFixedT("en")("errors.internal", { requestId: "req-7" })).toBe("Something went wrong on the platform (request req-7).");
    expect(i18n.getFixedT("zh")("apiErrors.InvalidCredentials")).toBe(zh.apiErrors.InvalidCredentials);
  });

  it("when a contract emits an event, then the UI names it in both languages (the list is generated from the ABIs)", () => {
    const untitled = eventNames.filter((name) => !Object.hasOwn(en.events, name) || !Object.hasOwn(zh.events, name));
    expect(untitled, "events without a title in web/src/i18n/{en,zh}/common.ts (events.<Name>)").toEqual([]);
  });

  it("when the sandbox blocks an action, then its rule has a name in both languages", () => {
    const rules = new Set(Object.values(errorCatalogue).filter((e) => e.policy).map((e) => e.rule.replace(/\./g, "_")));
    for (const rule of rules) {
      expect(en.rules, rule).toHaveProperty(rule);
      expect(zh.rules, rule).toHaveProperty(rule);
    }
  });
});
