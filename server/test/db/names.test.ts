/**
 * Receivables pages take their parties' names from memory (NameBook); triggers move a version on
 * every change of a name, so whoever writes a name, the next page shows it.
 */
import { describe, expect, it } from "vitest";

import { openDatabase } from "../../src/db/database.js";
import { NameBook } from "../../src/db/repositories/participants.js";

describe("participants' names kept in memory", () => {
  const db = openDatabase(":memory:");
  const add = (address: string, name: string) =>
    db.prepare("INSERT INTO participants(address, name, role, created_at) VALUES (?, ?, 'Supplier', 0)").run(address, name);

  it("when names are added, changed or removed by any write, then the next read has them, and reads in between reuse the ones in memory", () => {
    const book = new NameBook(db);
    add("0xA", "Alpha");
    const first = book.current();
    expect(first.get("0xA")).toBe("Alpha");
    expect(book.current()).toBe(first); // nothing changed: the same map, not read again

    add("0xB", "Beta");
    expect(book.current().get("0xB")).toBe("Beta");

    db.prepare("UPDATE participants SET name = 'Alpha Ltd' WHERE address = '0xA'").run();
    expect(book.current().get("0xA")).toBe("Alpha Ltd");

    const before = book.current();
    db.prepare("UPDATE participants SET frozen = 1 WHERE address = '0xA'").run(); // not a name
    expect(book.current()).toBe(before);

    db.prepare("DELETE FROM participants WHERE address = '0xB'").run();
    expect(book.current().has("0xB")).toBe(false);

    // An upsert that renames, as the platform's own dev participants are written at start.
    db.prepare("INSERT INTO participants(address, name, role, created_at) VALUES ('0xA', 'Alpha Group', 'Supplier', 0) ON CONFLICT(address) DO UPDATE SET name = excluded.name").run();
    expect(book.current().get("0xA")).toBe("Alpha Group");
  });
});
