import { SegmentedControl } from "@mantine/core";
import { useTranslation } from "react-i18next";

import { setLanguage } from "../i18n";
import { useLang } from "../lib/i18n-lang";

/** Switches the whole UI between 简体中文 and English (remembered on this browser). */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <SegmentedControl
      size="xs"
      value={lang}
      onChange={(v) => void setLanguage(v === "en" ? "en" : "zh")}
      aria-label={t("common.language")}
      data={[
        { value: "zh", label: "简体中文" },
        { value: "en", label: "English" },
      ]}
    />
  );
}
