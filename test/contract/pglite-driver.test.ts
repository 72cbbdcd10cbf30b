import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { createPgliteDriver } from '../../src/adapters/storage/pglite-driver.js';
import type { SqlDriver } from '../../src/adapters/storage/sql-driver.js';

// The PGlite driver must hand query code the same values, counts and transaction behaviour as the pg driver.

describe('PGlite SQL driver', () => {
  let pglite: PGlite;
  let db: SqlDriver;

  before(async () => {
    pglite = await PGlite.create();
    db = createPgliteDriver(pglite);
    await db.exec(`
      CREATE TABLE items (id bigserial PRIMARY KEY, name text NOT NULL, n bigint, ok boolean, data bytea,
                          doc jsonb, at timestamptz);
      CREATE TABLE log (v text NOT NULL);
    `);
  });
  after(async () => {
    await db.close();
  });

  it('numbers ? placeholders and returns values in the pg driver shapes', async () => {
    const bytes = new Uint8Array([0, 1, 254, 255]);
    const row = await db.get(
      `INSERT INTO items (name, n, ok, data, doc, at) VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?)
       RETURNING id, name, n, ok, data, doc, at`,
      ['a?b', 9_007_199_254_740_000n, true, bytes, JSON.stringify({ x: [1, 'y'] }), '2024-05-01T10:00:00+02:00'],
    );
    assert.equal(row?.['name'], 'a?b');
    assert.equal(row?.['n'], 9_007_199_254_740_000, 'int8 as a number, as the pg driver is configured');
    assert.equal(typeof row?.['id'], 'number');
    assert.equal(row?.['ok'], true);
    assert.deepEqual(Buffer.from(row?.['data'] as Uint8Array), Buffer.from(bytes));
    assert.deepEqual(row?.['doc'], { x: [1, 'y'] });
    assert.equal(row?.['at'], '2024-05-01T08:00:00.000Z', 'timestamptz as an ISO string');
    assert.equal(await db.get('SELECT 1 AS one WHERE false'), undefined);
    assert.deepEqual(await db.all('SELECT count(*) AS n FROM items WHERE name = ? AND ok = ?', ['a?b', true]), [
      { n: 1 },
    ]);
  });

  it('run returns the number of rows changed', async () => {
    await db.run('INSERT INTO items (name) VALUES (?), (?), (?)', ['r1', 'r2', 'r3']);
    assert.equal(await db.run("UPDATE items SET ok = false WHERE name LIKE 'r%'"), 3);
    assert.equal(await db.run('DELETE FROM items WHERE name = ?', ['nobody']), 0);
  });

  it('commits a transaction, and rolls back all of it when the callback throws', async () => {
    const out = await db.transaction(async (tx) => {
      await tx.run('INSERT INTO log (v) VALUES (?)', ['kept']);
      return 42;
    });
    assert.equal(out, 42);
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO log (v) VALUES (?)', ['lost']);
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual(await db.all('SELECT v FROM log ORDER BY v'), [{ v: 'kept' }]);
    await db.run('DELETE FROM log');
  });

  it('runs a nested transaction as a savepoint: its failure undoes only its own work', async () => {
    await db.transaction(async (tx) => {
      await tx.run('INSERT INTO log (v) VALUES (?)', ['outer']);
      await assert.rejects(
        tx.transaction(async (inner) => {
          await inner.run('INSERT INTO log (v) VALUES (?)', ['inner']);
          await inner.run('INSERT INTO log (v) VALUES (NULL)'); // violates NOT NULL
        }),
      );
      await tx.transaction(async (inner) => inner.run('INSERT INTO log (v) VALUES (?)', ['inner ok']));
    });
    assert.deepEqual(await db.all('SELECT v FROM log ORDER BY v'), [{ v: 'inner ok' }, { v: 'outer' }]);
    await db.run('DELETE FROM log');
  });

  it('holds other statements back while a transaction is open', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tx = db.transaction(async (t) => {
      await t.run('INSERT INTO log (v) VALUES (?)', ['in tx']);
      await gate;
    });
    await new Promise((r) => setTimeout(r, 20));
    const outside = db.get<{ n: number }>('SELECT count(*) AS n FROM log');
    let settled = false;
    void outside.then(() => {
      settled = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(settled, false, 'a statement outside the transaction must wait for it');
    release();
    await tx;
    assert.equal((await outside)?.n, 1);
    await db.run('DELETE FROM log');
  });

  it('close() closes the PGlite instance it owns, and leaves a borrowed one open', async () => {
    const owned = await PGlite.create();
    await createPgliteDriver(owned).close();
    assert.equal(owned.closed, true);
    const borrowed = await PGlite.create();
    await createPgliteDriver(borrowed, { closeDatabase: false }).close();
    assert.equal(borrowed.closed, false);
    await borrowed.close();
  });
});
