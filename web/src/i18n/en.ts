/**
 * English, split by feature (i18n/en/*.ts). i18n/zh.ts has exactly the same keys (each of its
 * parts is typed by the English part); interpolations use {name}, like the error catalogue;
 * plurals use the _one/_other suffixes.
 */
import type { Strings } from "./strings";
import { common } from "./en/common";
import { errors } from "./en/errors";
import { supplier } from "./en/supplier";
import { buyer } from "./en/buyer";
import { bank } from "./en/bank";
import { regulator } from "./en/regulator";
import { simulations } from "./en/simulations";

export const en = { ...common, ...errors, ...supplier, ...buyer, ...bank, ...regulator, ...simulations };

/** The shape every language provides. */
export type Messages = Strings<typeof en>;
