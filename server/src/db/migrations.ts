/**
 * The platform's SQLite schema, as numbered migrations applied in order (PRAGMA user_version).
 * Amounts are integer fen (at most 2^48 per invoice, exact in SQLite INTEGER and JS numbers);
 * times are Unix seconds; addresses are checksummed hex; enum values are their names.
 */
export const migrations: string[] = [
  /* 1: identities, documents, idempotency, chain journal, event index and read models */ `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );

  CREATE TABLE participants (
    address        TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL,
    tier           INTEGER,
    admitted_until INTEGER,
    frozen         INTEGER NOT NULL DEFAULT 0,
    removed        INTEGER NOT NULL DEFAULT 0,
    outstanding    INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL
  );
  CREATE INDEX participants_role ON participants(role);

  -- Each participant's signing key, AES-256-GCM encrypted with a key derived from configuration.
  CREATE TABLE participant_keys (
    address    TEXT PRIMARY KEY REFERENCES participants(address),
    ciphertext BLOB NOT NULL,
    iv         BLOB NOT NULL,
    tag        BLOB NOT NULL
  );

  CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    participant   TEXT NOT NULL REFERENCES participants(address),
    display_name  TEXT NOT NULL,
    created_at    INTEGER NOT NULL
  );

  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX sessions_expiry ON sessions(expires_at);

  CREATE TABLE documents (
    sha256      TEXT PRIMARY KEY,
    filename    TEXT NOT NULL,
    mime        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL
  );

  -- One row per (user, Idempotency-Key): 'pending' while the request runs, then its answer.
  CREATE TABLE idempotency (
    user_id      INTEGER NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    operation    TEXT NOT NULL,
    request      TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'done')),
    tx_hash      TEXT,
    status       INTEGER,
    body         TEXT,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
  );

  -- The chain journal: every block the platform has seen, with its transactions as signed bytes,
  -- so a local chain (state in memory) is rebuilt block by block with the same timestamps.
  CREATE TABLE chain_blocks (
    number     INTEGER PRIMARY KEY,
    hash       TEXT NOT NULL,
    state_root TEXT NOT NULL,
    timestamp  INTEGER NOT NULL
  );
  CREATE TABLE chain_txs (
    hash         TEXT PRIMARY KEY,
    block_number INTEGER NOT NULL REFERENCES chain_blocks(number),
    idx          INTEGER NOT NULL,
    raw          TEXT NOT NULL
  );
  CREATE INDEX chain_txs_block ON chain_txs(block_number, idx);

  -- Every event of the platform's contracts: the audit trail.
  CREATE TABLE events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    block_number INTEGER NOT NULL,
    log_index    INTEGER NOT NULL,
    tx_hash      TEXT NOT NULL,
    timestamp    INTEGER NOT NULL,
    contract     TEXT NOT NULL,
    name         TEXT NOT NULL,
    invoice_id   TEXT,
    actor        TEXT,
    args         TEXT NOT NULL,
    UNIQUE (block_number, log_index)
  );
  CREATE INDEX events_name ON events(name, timestamp);
  CREATE INDEX events_invoice ON events(invoice_id);
  CREATE INDEX events_actor ON events(actor);

  CREATE TABLE invoices (
    id              TEXT PRIMARY KEY,
    seller          TEXT NOT NULL,
    buyer           TEXT NOT NULL,
    invoice_number  TEXT NOT NULL,
    face_amount     INTEGER NOT NULL,
    paid_amount     INTEGER NOT NULL DEFAULT 0,
    issue_date      INTEGER NOT NULL,
    due_date        INTEGER NOT NULL,
    status          TEXT NOT NULL,
    frozen          INTEGER NOT NULL DEFAULT 0,
    document_hash   TEXT NOT NULL,
    piece_count     INTEGER NOT NULL DEFAULT 0,
    dispute_reason  TEXT,
    submitted_at    INTEGER NOT NULL,
    confirmed_at    INTEGER,
    settled_at      INTEGER
  );
  CREATE INDEX invoices_seller ON invoices(seller, submitted_at);
  CREATE INDEX invoices_buyer ON invoices(buyer, due_date);
  CREATE INDEX invoices_status ON invoices(status, due_date);
  CREATE INDEX invoices_due ON invoices(due_date);

  CREATE TABLE pieces (
    invoice_id TEXT NOT NULL REFERENCES invoices(id),
    idx        INTEGER NOT NULL,
    holder     TEXT NOT NULL,
    amount     INTEGER NOT NULL,
    tier       INTEGER NOT NULL,
    status     TEXT NOT NULL,
    parent     INTEGER NOT NULL,
    received   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, idx)
  );
  CREATE INDEX pieces_holder ON pieces(holder);

  CREATE TABLE financings (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    invoice_id    TEXT NOT NULL REFERENCES invoices(id),
    piece_index   INTEGER NOT NULL,
    holder        TEXT NOT NULL,
    bank          TEXT NOT NULL,
    amount        INTEGER NOT NULL,
    with_recourse INTEGER NOT NULL,
    status        TEXT NOT NULL,
    rate_bps      INTEGER,
    days          INTEGER,
    discount      INTEGER,
    advance       INTEGER,
    reason        TEXT,
    recovered     INTEGER,
    requested_at  INTEGER NOT NULL,
    decided_at    INTEGER
  );
  CREATE INDEX financings_piece ON financings(invoice_id, piece_index);
  CREATE INDEX financings_bank ON financings(bank, status);
  CREATE INDEX financings_holder ON financings(holder, status);

  CREATE TABLE payments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    invoice_id TEXT NOT NULL REFERENCES invoices(id),
    buyer      TEXT NOT NULL,
    amount     INTEGER NOT NULL,
    paid_total INTEGER NOT NULL,
    timestamp  INTEGER NOT NULL,
    tx_hash    TEXT NOT NULL
  );
  CREATE INDEX payments_invoice ON payments(invoice_id);

  CREATE TABLE payouts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    invoice_id  TEXT NOT NULL,
    piece_index INTEGER NOT NULL,
    holder      TEXT NOT NULL,
    amount      INTEGER NOT NULL,
    timestamp   INTEGER NOT NULL
  );
  CREATE INDEX payouts_holder ON payouts(holder);

  -- Actions the sandbox rules blocked (seen by the API before or at the chain): per-rule counts
  -- for the regulator's dashboard and alerts.
  CREATE TABLE blocked_actions (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    timestamp INTEGER NOT NULL,
    actor     TEXT,
    action    TEXT NOT NULL,
    code      TEXT NOT NULL,
    rule      TEXT NOT NULL,
    details   TEXT NOT NULL
  );
  CREATE INDEX blocked_rule ON blocked_actions(rule, timestamp);

  CREATE TABLE alerts (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    timestamp INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    severity  TEXT NOT NULL,
    subject   TEXT,
    message   TEXT NOT NULL,
    details   TEXT NOT NULL,
    dedupe    TEXT UNIQUE,
    acknowledged INTEGER NOT NULL DEFAULT 0
  );
  `,
  /* 2: indexes for the filtered receivables lists (GET /api/invoices) */ `
  -- A holder's pieces by invoice: the holder filter and the visibility test become point lookups
  -- (the old index on holder alone scanned every piece of the holder for every invoice).
  DROP INDEX pieces_holder;
  CREATE INDEX pieces_holder ON pieces(holder, invoice_id);
  -- A party's invoices in one status, in the orders lists ask for (due date, newest first).
  CREATE INDEX invoices_buyer_status ON invoices(buyer, status, due_date);
  CREATE INDEX invoices_buyer_submitted ON invoices(buyer, status, submitted_at);
  CREATE INDEX invoices_seller_status ON invoices(seller, status, submitted_at);
  `,
  /* 3: a holder's receivables as a read model of their own (GET /api/invoices?holder=...) */ `
  -- One row per holder and invoice they hold a piece of, with the invoice's status and dates, kept
  -- by triggers on pieces and invoices. A holder's list in one status, by due date, is a range of
  -- one index read in order and stopped at the page's end; from pieces, every invoice the holder
  -- ever held had to be looked up and sorted, for each page and for its count.
  CREATE TABLE holdings (
    holder       TEXT NOT NULL,
    invoice_id   TEXT NOT NULL REFERENCES invoices(id),
    status       TEXT NOT NULL,
    due_date     INTEGER NOT NULL,
    submitted_at INTEGER NOT NULL,
    -- How many of the invoice's pieces name this holder (the row goes when none does).
    pieces       INTEGER NOT NULL,
    PRIMARY KEY (holder, invoice_id)
  );
  CREATE INDEX holdings_due ON holdings(holder, status, due_date);
  CREATE INDEX holdings_submitted ON holdings(holder, status, submitted_at);
  CREATE INDEX holdings_invoice ON holdings(invoice_id);

  CREATE TRIGGER holdings_piece_added AFTER INSERT ON pieces BEGIN
    INSERT INTO holdings(holder, invoice_id, status, due_date, submitted_at, pieces)
      SELECT NEW.holder, i.id, i.status, i.due_date, i.submitted_at, 1 FROM invoices i WHERE i.id = NEW.invoice_id
      ON CONFLICT(holder, invoice_id) DO UPDATE SET pieces = pieces + 1;
  END;
  CREATE TRIGGER holdings_piece_moved AFTER UPDATE OF holder, invoice_id ON pieces
    WHEN NEW.holder IS NOT OLD.holder OR NEW.invoice_id IS NOT OLD.invoice_id BEGIN
    UPDATE holdings SET pieces = pieces - 1 WHERE holder = OLD.holder AND invoice_id = OLD.invoice_id;
    DELETE FROM holdings WHERE holder = OLD.holder AND invoice_id = OLD.invoice_id AND pieces <= 0;
    INSERT INTO holdings(holder, invoice_id, status, due_date, submitted_at, pieces)
      SELECT NEW.holder, i.id, i.status, i.due_date, i.submitted_at, 1 FROM invoices i WHERE i.id = NEW.invoice_id
      ON CONFLICT(holder, invoice_id) DO UPDATE SET pieces = pieces + 1;
  END;
  CREATE TRIGGER holdings_piece_removed AFTER DELETE ON pieces BEGIN
    UPDATE holdings SET pieces = pieces - 1 WHERE holder = OLD.holder AND invoice_id = OLD.invoice_id;
    DELETE FROM holdings WHERE holder = OLD.holder AND invoice_id = OLD.invoice_id AND pieces <= 0;
  END;
  CREATE TRIGGER holdings_invoice_changed AFTER UPDATE OF status, due_date, submitted_at ON invoices
    WHEN NEW.status IS NOT OLD.status OR NEW.due_date IS NOT OLD.due_date OR NEW.submitted_at IS NOT OLD.submitted_at BEGIN
    UPDATE holdings SET status = NEW.status, due_date = NEW.due_date, submitted_at = NEW.submitted_at WHERE invoice_id = NEW.id;
  END;

  INSERT INTO holdings(holder, invoice_id, status, due_date, submitted_at, pieces)
    SELECT p.holder, i.id, i.status, i.due_date, i.submitted_at, COUNT(*)
    FROM pieces p JOIN invoices i ON i.id = p.invoice_id GROUP BY p.holder, i.id;
  `,
  /* 4: a version of the participants' names, for readers that keep them in memory (NameBook) */ `
  -- Moved by every change of the participants' names, whoever writes them: a reader that keeps
  -- the names in memory reads this one value per use and reloads the names when it moved.
  INSERT INTO meta(key, value) VALUES ('participant_names', '0') ON CONFLICT(key) DO NOTHING;
  CREATE TRIGGER participant_names_added AFTER INSERT ON participants BEGIN
    UPDATE meta SET value = value + 1 WHERE key = 'participant_names';
  END;
  CREATE TRIGGER participant_names_changed AFTER UPDATE OF name, address ON participants
    WHEN NEW.name IS NOT OLD.name OR NEW.address IS NOT OLD.address BEGIN
    UPDATE meta SET value = value + 1 WHERE key = 'participant_names';
  END;
  CREATE TRIGGER participant_names_removed AFTER DELETE ON participants BEGIN
    UPDATE meta SET value = value + 1 WHERE key = 'participant_names';
  END;
  `,
  /* 5: who uploaded each document: only an uploader may anchor it, and an invoice lends its
     parties a document only when its seller uploaded it */ `
  CREATE TABLE document_uploaders (
    sha256      TEXT NOT NULL REFERENCES documents(sha256),
    participant TEXT NOT NULL,
    PRIMARY KEY (sha256, participant)
  );
  INSERT INTO document_uploaders(sha256, participant)
    SELECT d.sha256, u.participant FROM documents d JOIN users u ON u.id = d.uploaded_by;
  `,
  /* 6: reads that stay fast at pilot scale (100k receivables, 1M events) */ `
  -- The regulator's unfiltered receivables, newest first: read in order from an index and stopped
  -- at the page's end (without it, every receivable was sorted for every page).
  CREATE INDEX invoices_submitted ON invoices(submitted_at);

  -- The audit trail by event name in id order (an index on name alone ends with the row id, which
  -- is the event's id): a keyset page is one range read. (name, timestamp) gave neither order.
  DROP INDEX events_name;
  CREATE INDEX events_name ON events(name);
  CREATE INDEX events_time ON events(timestamp);

  -- Idempotency records past their retention, oldest first, for the periodic purge.
  CREATE INDEX idempotency_created ON idempotency(created_at);

  -- Counts and sums kept by triggers as the index writes, so the dashboard and the audit trail's
  -- totals read a few summary rows instead of every receivable, financing, piece and event.
  -- Rows whose counts fall back to zero stay (readers skip them).

  -- Receivables per buyer and status: the dashboard's totals and the exposure by buyer.
  CREATE TABLE invoice_tally (
    buyer  TEXT NOT NULL,
    status TEXT NOT NULL,
    n      INTEGER NOT NULL,
    face   INTEGER NOT NULL,
    paid   INTEGER NOT NULL,
    PRIMARY KEY (buyer, status)
  ) WITHOUT ROWID;
  CREATE TRIGGER invoice_tally_added AFTER INSERT ON invoices BEGIN
    INSERT INTO invoice_tally(buyer, status, n, face, paid) VALUES (NEW.buyer, NEW.status, 1, NEW.face_amount, NEW.paid_amount)
      ON CONFLICT(buyer, status) DO UPDATE SET n = n + 1, face = face + excluded.face, paid = paid + excluded.paid;
    INSERT INTO daily_volume(day, submitted, financed, settled) VALUES (NEW.submitted_at / 86400, NEW.face_amount, 0, 0)
      ON CONFLICT(day) DO UPDATE SET submitted = submitted + excluded.submitted;
  END;
  CREATE TRIGGER invoice_tally_changed AFTER UPDATE OF buyer, status, face_amount, paid_amount, submitted_at ON invoices BEGIN
    UPDATE invoice_tally SET n = n - 1, face = face - OLD.face_amount, paid = paid - OLD.paid_amount
      WHERE buyer = OLD.buyer AND status = OLD.status;
    INSERT INTO invoice_tally(buyer, status, n, face, paid) VALUES (NEW.buyer, NEW.status, 1, NEW.face_amount, NEW.paid_amount)
      ON CONFLICT(buyer, status) DO UPDATE SET n = n + 1, face = face + excluded.face, paid = paid + excluded.paid;
    UPDATE daily_volume SET submitted = submitted - OLD.face_amount WHERE day = OLD.submitted_at / 86400;
    INSERT INTO daily_volume(day, submitted, financed, settled) VALUES (NEW.submitted_at / 86400, NEW.face_amount, 0, 0)
      ON CONFLICT(day) DO UPDATE SET submitted = submitted + excluded.submitted;
  END;
  CREATE TRIGGER invoice_tally_removed AFTER DELETE ON invoices BEGIN
    UPDATE invoice_tally SET n = n - 1, face = face - OLD.face_amount, paid = paid - OLD.paid_amount
      WHERE buyer = OLD.buyer AND status = OLD.status;
    UPDATE daily_volume SET submitted = submitted - OLD.face_amount WHERE day = OLD.submitted_at / 86400;
  END;

  -- Financings per bank and status: the financed volume, count and advances, and by bank.
  CREATE TABLE financing_tally (
    bank    TEXT NOT NULL,
    status  TEXT NOT NULL,
    n       INTEGER NOT NULL,
    amount  INTEGER NOT NULL,
    advance INTEGER NOT NULL,
    PRIMARY KEY (bank, status)
  ) WITHOUT ROWID;
  CREATE TRIGGER financing_tally_added AFTER INSERT ON financings BEGIN
    INSERT INTO financing_tally(bank, status, n, amount, advance) VALUES (NEW.bank, NEW.status, 1, NEW.amount, COALESCE(NEW.advance, 0))
      ON CONFLICT(bank, status) DO UPDATE SET n = n + 1, amount = amount + excluded.amount, advance = advance + excluded.advance;
    INSERT INTO daily_volume(day, submitted, financed, settled) SELECT NEW.decided_at / 86400, 0, NEW.amount, 0
      WHERE NEW.status IN ('Approved', 'Recoursed') AND NEW.decided_at IS NOT NULL
      ON CONFLICT(day) DO UPDATE SET financed = financed + excluded.financed;
  END;
  CREATE TRIGGER financing_tally_changed AFTER UPDATE OF bank, status, amount, advance, decided_at ON financings BEGIN
    UPDATE financing_tally SET n = n - 1, amount = amount - OLD.amount, advance = advance - COALESCE(OLD.advance, 0)
      WHERE bank = OLD.bank AND status = OLD.status;
    INSERT INTO financing_tally(bank, status, n, amount, advance) VALUES (NEW.bank, NEW.status, 1, NEW.amount, COALESCE(NEW.advance, 0))
      ON CONFLICT(bank, status) DO UPDATE SET n = n + 1, amount = amount + excluded.amount, advance = advance + excluded.advance;
    UPDATE daily_volume SET financed = financed - OLD.amount
      WHERE day = OLD.decided_at / 86400 AND OLD.status IN ('Approved', 'Recoursed');
    INSERT INTO daily_volume(day, submitted, financed, settled) SELECT NEW.decided_at / 86400, 0, NEW.amount, 0
      WHERE NEW.status IN ('Approved', 'Recoursed') AND NEW.decided_at IS NOT NULL
      ON CONFLICT(day) DO UPDATE SET financed = financed + excluded.financed;
  END;
  CREATE TRIGGER financing_tally_removed AFTER DELETE ON financings BEGIN
    UPDATE financing_tally SET n = n - 1, amount = amount - OLD.amount, advance = advance - COALESCE(OLD.advance, 0)
      WHERE bank = OLD.bank AND status = OLD.status;
    UPDATE daily_volume SET financed = financed - OLD.amount
      WHERE day = OLD.decided_at / 86400 AND OLD.status IN ('Approved', 'Recoursed');
  END;

  -- Pieces per tier: the dashboard's tier depth.
  CREATE TABLE piece_tally (
    tier   INTEGER PRIMARY KEY,
    n      INTEGER NOT NULL,
    amount INTEGER NOT NULL
  );
  CREATE TRIGGER piece_tally_added AFTER INSERT ON pieces BEGIN
    INSERT INTO piece_tally(tier, n, amount) VALUES (NEW.tier, 1, NEW.amount)
      ON CONFLICT(tier) DO UPDATE SET n = n + 1, amount = amount + excluded.amount;
  END;
  CREATE TRIGGER piece_tally_changed AFTER UPDATE OF tier, amount ON pieces BEGIN
    UPDATE piece_tally SET n = n - 1, amount = amount - OLD.amount WHERE tier = OLD.tier;
    INSERT INTO piece_tally(tier, n, amount) VALUES (NEW.tier, 1, NEW.amount)
      ON CONFLICT(tier) DO UPDATE SET n = n + 1, amount = amount + excluded.amount;
  END;
  CREATE TRIGGER piece_tally_removed AFTER DELETE ON pieces BEGIN
    UPDATE piece_tally SET n = n - 1, amount = amount - OLD.amount WHERE tier = OLD.tier;
  END;

  -- Payments per day: the settled series (the submitted and financed ones come from the triggers above).
  CREATE TABLE daily_volume (
    day       INTEGER PRIMARY KEY,
    submitted INTEGER NOT NULL,
    financed  INTEGER NOT NULL,
    settled   INTEGER NOT NULL
  );
  CREATE TRIGGER daily_volume_paid AFTER INSERT ON payments BEGIN
    INSERT INTO daily_volume(day, submitted, financed, settled) VALUES (NEW.timestamp / 86400, 0, 0, NEW.amount)
      ON CONFLICT(day) DO UPDATE SET settled = settled + excluded.settled;
  END;
  CREATE TRIGGER daily_volume_unpaid AFTER DELETE ON payments BEGIN
    UPDATE daily_volume SET settled = settled - OLD.amount WHERE day = OLD.timestamp / 86400;
  END;

  -- Blocked actions per rule and code.
  CREATE TABLE blocked_tally (
    rule TEXT NOT NULL,
    code TEXT NOT NULL,
    n    INTEGER NOT NULL,
    PRIMARY KEY (rule, code)
  ) WITHOUT ROWID;
  CREATE TRIGGER blocked_tally_added AFTER INSERT ON blocked_actions BEGIN
    INSERT INTO blocked_tally(rule, code, n) VALUES (NEW.rule, NEW.code, 1) ON CONFLICT(rule, code) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER blocked_tally_removed AFTER DELETE ON blocked_actions BEGIN
    UPDATE blocked_tally SET n = n - 1 WHERE rule = OLD.rule AND code = OLD.code;
  END;

  -- Events in all (dimension ''), per name and per actor: the audit trail's totals.
  CREATE TABLE event_tally (
    dimension TEXT NOT NULL,
    value     TEXT NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (dimension, value)
  ) WITHOUT ROWID;
  CREATE TRIGGER event_tally_added AFTER INSERT ON events BEGIN
    INSERT INTO event_tally(dimension, value, n) VALUES ('', '', 1), ('name', NEW.name, 1) ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO event_tally(dimension, value, n) SELECT 'actor', NEW.actor, 1 WHERE NEW.actor IS NOT NULL
      ON CONFLICT DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER event_tally_removed AFTER DELETE ON events BEGIN
    UPDATE event_tally SET n = n - 1
      WHERE (dimension = '' AND value = '') OR (dimension = 'name' AND value = OLD.name) OR (dimension = 'actor' AND value = OLD.actor);
  END;

  -- The counts of the data already indexed.
  INSERT INTO invoice_tally(buyer, status, n, face, paid)
    SELECT buyer, status, COUNT(*), SUM(face_amount), SUM(paid_amount) FROM invoices GROUP BY buyer, status;
  INSERT INTO financing_tally(bank, status, n, amount, advance)
    SELECT bank, status, COUNT(*), SUM(amount), COALESCE(SUM(advance), 0) FROM financings GROUP BY bank, status;
  INSERT INTO piece_tally(tier, n, amount) SELECT tier, COUNT(*), SUM(amount) FROM pieces GROUP BY tier;
  INSERT INTO daily_volume(day, submitted, financed, settled)
    SELECT day, SUM(submitted), SUM(financed), SUM(settled) FROM (
      SELECT submitted_at / 86400 AS day, face_amount AS submitted, 0 AS financed, 0 AS settled FROM invoices
      UNION ALL SELECT decided_at / 86400, 0, amount, 0 FROM financings
        WHERE status IN ('Approved', 'Recoursed') AND decided_at IS NOT NULL
      UNION ALL SELECT timestamp / 86400, 0, 0, amount FROM payments)
    GROUP BY day;
  INSERT INTO blocked_tally(rule, code, n) SELECT rule, code, COUNT(*) FROM blocked_actions GROUP BY rule, code;
  INSERT INTO event_tally(dimension, value, n)
    SELECT '', '', COUNT(*) FROM events HAVING COUNT(*) > 0
    UNION ALL SELECT 'name', name, COUNT(*) FROM events GROUP BY name
    UNION ALL SELECT 'actor', actor, COUNT(*) FROM events WHERE actor IS NOT NULL GROUP BY actor;
  `,
  /* 7: the highest rate each financing request accepts (FinancingRequested's maxRateBps), shown to
     the bank that reviews it; requests indexed before the chain carried it stay NULL */ `
  ALTER TABLE financings ADD COLUMN max_rate_bps INTEGER;
  `,
];
