// Child process for sql-sqlite.test.ts: open the database at argv[2], migrate, close. Several run
// at once to act as gateway workers starting together on one SQLite file.
import { openSqlStore } from '../sql.js';

const store = await openSqlStore(process.argv[2] as string);
try {
  await store.migrate();
} finally {
  await store.close();
}
