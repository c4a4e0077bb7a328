import { Paper, Text } from "@mantine/core";
import type { ReactNode } from "react";

/** One key figure: a label, a value and an optional note. */
export function KeyFigure({
  label,
  value,
  note,
  testId,
  compact = false,
}: {
  label: ReactNode;
  value: ReactNode;
  note?: ReactNode;
  testId?: string;
  /** Smaller figures, for dialogs and side panels. */
  compact?: boolean;
}) {
  return (
    <Paper withBorder p={compact ? "xs" : "sm"} radius="sm" data-testid={testId}>
      <Text size="xs" c="dimmed" tt={compact ? undefined : "uppercase"} fw={600} lts={compact ? undefined : 0.3}>
        {label}
      </Text>
      {/* Divs, not paragraphs: a value or note may itself be a Text or a progress bar. */}
      <Text component="div" fz={compact ? 15 : 20} fw={600} mt={compact ? 2 : 4} ff="var(--scf-figures)" style={{ whiteSpace: "nowrap" }}>
        {value}
      </Text>
      {note !== undefined && (
        <Text component="div" size="xs" c="dimmed" mt={2}>
          {note}
        </Text>
      )}
    </Paper>
  );
}
