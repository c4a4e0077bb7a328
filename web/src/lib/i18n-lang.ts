import { useTranslation } from "react-i18next";

import type { Lang } from "./format";

/** The UI language in force ("zh" or "en"). */
export function useLang(): Lang {
  const { i18n } = useTranslation();
  return i18n.resolvedLanguage === "en" ? "en" : "zh";
}
