import { errorCatalogue, type ErrorName } from "@domain/errors";

/** The shape of a language's strings: the same keys as the English, every leaf a string. */
export type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };

/**
 * The API's error messages in one language, by error name: the texts stay in the one error
 * catalogue (domain/errors.ts, which the server answers with too), and reach the UI as strings of
 * the language like any other, with the same {name} placeholders.
 */
export const apiErrorTexts = (lang: "en" | "zh"): Record<ErrorName, string> =>
  Object.fromEntries(Object.entries(errorCatalogue).map(([name, entry]) => [name, entry[lang]])) as Record<ErrorName, string>;
