// Schema and SQL text of the SQLite backend — kine's design: one append-only
// table whose autoincrement id is the store revision. A write never changes a
// row; it appends one pointing at the row it supersedes (prev_revision), and the
// unique index on (name, prev_revision) makes two writers that read the same
// latest row unable to both append after it: compare-and-swap in the database.
//
// A row that creates a key stores create_revision 0 (its own id is the create
// revision, unknown before the insert). A delete appends a row with deleted = 1
// and the last value, so the delete event is self-contained. old_value holds the
// superseded value so that an update event carries prevKv even after the row it
// points at has been compacted away.

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS kine (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  value TEXT NOT NULL,
  old_value TEXT
);
CREATE INDEX IF NOT EXISTS kine_name_id ON kine (name, id);
CREATE UNIQUE INDEX IF NOT EXISTS kine_name_prev_revision ON kine (name, prev_revision);
CREATE TABLE IF NOT EXISTS kine_meta (
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
`;

export const SQL = {
  latest: `SELECT * FROM kine WHERE name = ? ORDER BY id DESC LIMIT 1`,
  insert: `INSERT INTO kine (name, created, deleted, create_revision, prev_revision, value, old_value)
           VALUES (@name, @created, @deleted, @createRevision, @prevRevision, @value, @oldValue)`,
  currentRevision: `SELECT seq FROM sqlite_sequence WHERE name = 'kine'`,
  getMeta: `SELECT value FROM kine_meta WHERE key = ?`,
  setMeta: `INSERT INTO kine_meta (key, value) VALUES (?, ?)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  /** Rows after a revision under a key range, in revision order (watch catch-up). */
  after: (bounded: boolean) =>
    `SELECT * FROM kine WHERE id > @after AND name >= @start ${bounded ? 'AND name < @end' : ''}
     ORDER BY id LIMIT @limit`,
  /**
   * The state at revision @rev under a key range: for each name the newest row
   * at or before @rev, unless it is a delete. A row is superseded at @rev when a
   * later row of the same name with id <= @rev points at it.
   */
  listAt: (bounded: boolean) =>
    `SELECT * FROM kine AS k
           WHERE k.name >= @start ${bounded ? 'AND k.name < @end' : ''} AND k.id <= @rev AND k.deleted = 0
             AND NOT EXISTS (SELECT 1 FROM kine AS s
                             WHERE s.name = k.name AND s.prev_revision = k.id AND s.id <= @rev)
           ORDER BY k.name LIMIT @limit`,
  /** Compaction, one revision window (@lo, @hi] at a time: drop the rows superseded inside it. */
  compactSuperseded: `DELETE FROM kine WHERE id IN
                        (SELECT prev_revision FROM kine WHERE id > @lo AND id <= @hi AND prev_revision > 0)`,
  /**
   * ...and delete rows in [@lo, @hi): older than the compaction revision, the key
   * is gone, nothing to keep. (The half-open window picks up a delete that sat
   * exactly at the previous compaction revision.)
   */
  compactDeletes: `DELETE FROM kine WHERE deleted = 1 AND id >= @lo AND id < @hi`,
} as const;

export const META_COMPACT_REVISION = 'compact_revision';

export interface Row {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  value: string;
  old_value: string | null;
}
