import { Text, type TextProps } from "@mantine/core";

import { formatFen } from "../lib/format";
import { useLang } from "../lib/i18n-lang";

/** An amount of integer fen shown as yuan with the locale's separators. */
export function Money({ fen, ...props }: { fen: string | bigint } & TextProps) {
  const lang = useLang();
  return (
    <Text component="span" inherit ff="var(--scf-figures)" {...props}>
      {formatFen(fen, lang)}
    </Text>
  );
}
