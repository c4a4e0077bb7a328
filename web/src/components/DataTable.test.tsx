import { MantineProvider } from "@mantine/core";
import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { DataTable, type Column } from "./DataTable";

type Row = { id: number; name: string; amount: string };
const columns: Column<Row>[] = [
  { key: "name", header: "Name", cell: (r) => r.name },
  { key: "amount", header: "Amount", numeric: true, cell: (r) => r.amount },
  { key: "menu", header: "Actions", hideHeader: true, cell: (r) => <button type="button">Open {r.name}</button> },
];

const show = (rows: Row[]) =>
  render(
    <MantineProvider>
      <DataTable label="Payables" columns={columns} rows={rows} rowKey={(r) => r.id} empty="Nothing is due." />
    </MantineProvider>,
  );

describe("the list pages' table", () => {
  it("when it has rows, then a screen reader finds it by name, each header labels its column, and a hidden header is still read", () => {
    show([{ id: 1, name: "INV-1", amount: "¥1.00" }]);
    const table = screen.getByRole("table", { name: "Payables" });
    const headers = within(table).getAllByRole("columnheader");
    expect(headers.map((h) => h.textContent)).toEqual(["Name", "Amount", "Actions"]);
    expect(headers.every((h) => h.getAttribute("scope") === "col")).toBe(true);
    expect(within(table).getByRole("cell", { name: "¥1.00" })).toHaveClass("scf-num");
    expect(within(table).getByRole("button", { name: "Open INV-1" })).toBeInTheDocument();
  });

  it("when it has no rows, then it says so in words instead of drawing an empty table", () => {
    show([]);
    expect(screen.queryByRole("table")).toBeNull();
    expect(screen.getByText("Nothing is due.")).toBeInTheDocument();
  });
});
