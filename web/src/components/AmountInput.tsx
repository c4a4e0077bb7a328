import { Text, TextInput, type TextInputProps } from "@mantine/core";

import { formatFen, parseFen } from "../lib/format";
import { useLang } from "../lib/i18n-lang";

/**
 * An amount typed in yuan (at most two decimals). The parsed fen amount is shown under the field
 * with separators, so what will be sent is visible; no floating point is involved.
 */
export function AmountInput({ value, onChange, ...props }: { value: string; onChange: (v: string) => void } & Omit<TextInputProps, "value" | "onChange">) {
  const lang = useLang();
  const fen = value.trim() === "" ? null : parseFen(value);
  return (
    <TextInput
      inputMode="decimal"
      autoComplete="off"
      leftSection={
        <Text size="sm" c="dimmed">
          ¥
        </Text>
      }
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      description={props.description ?? (fen !== null && fen > 0n ? formatFen(fen, lang) : undefined)}
      inputWrapperOrder={["label", "input", "description", "error"]}
      {...props}
    />
  );
}
