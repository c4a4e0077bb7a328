import { Paper, Text } from "@mantine/core";
import type { ReactNode } from "react";

/** One key figure: a label, a value and an optional note. */
export function KeyFigure({ label, value, note, testId }: { label: ReactNode; value: ReactNode; note?: ReactNode; testId?: string }) {
  return (
    <Paper withBorder p="sm" radius="sm" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.3}>
        {label}
      </Text>
      <Text fz={20} fw={600} mt={4} ff="var(--scf-figures)">
        {value}
      </Text>
      {note !== undefined && (
        <Text size="xs" c="dimmed" mt={2}>
          {note}
        </Text>
      )}
    </Paper>
  );
}
