import { Table, VisuallyHidden, type TableTrProps } from "@mantine/core";
import type { ReactNode } from "react";

import { EmptyState } from "./DataState";

/** One column: its header, how a row fills its cell, and how the cell is laid out. */
export interface Column<T> {
  /** Stable React key of the column. */
  key: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Right-aligned tabular figures (money, counts, rates). */
  numeric?: boolean;
  /** Long text that may wrap (the table otherwise keeps cells on one line). */
  wrap?: boolean;
  width?: number | string;
  /** The header is read by screen readers only (e.g. a column of row menus). */
  hideHeader?: boolean;
}

const cellClass = (c: Column<never>) => [c.numeric ? "scf-num" : "", c.wrap ? "scf-wrap" : ""].filter(Boolean).join(" ") || undefined;

/**
 * The table of every list page: named for assistive technology (`label`), column headers scoped,
 * an empty state in words instead of an empty table. Interactive cells are ordinary links and
 * buttons, so the keyboard reaches them in reading order.
 */
export function DataTable<T>({
  label,
  columns,
  rows,
  rowKey,
  rowProps,
  empty,
  testId,
}: {
  label: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string | number;
  /** Per-row attributes (a test id, a highlight). */
  rowProps?: (row: T) => TableTrProps & { "data-testid"?: string };
  /** Shown instead of the table when there are no rows. */
  empty: ReactNode;
  testId?: string;
}) {
  if (rows.length === 0) return <EmptyState>{empty}</EmptyState>;
  return (
    <Table highlightOnHover aria-label={label} data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          {columns.map((c) => (
            <Table.Th key={c.key} scope="col" className={cellClass(c as Column<never>)} w={c.width}>
              {c.hideHeader === true ? <VisuallyHidden>{c.header}</VisuallyHidden> : c.header}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={rowKey(row)} {...rowProps?.(row)}>
            {columns.map((c) => (
              <Table.Td key={c.key} className={cellClass(c as Column<never>)}>
                {c.cell(row)}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
