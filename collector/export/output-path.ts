/**
 * Whether an export's output path would land on the collector's database. SQLite keeps a
 * database in up to three files (the file, its -wal and its -shm); writing JSONL onto any of
 * them destroys donations. Paths are compared after resolving links, and by device and inode
 * when the file exists, so `./db/../db/donations.sqlite` or a hard link is caught too.
 */
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';

const SQLITE_COMPANIONS = ['', '-wal', '-shm', '-journal'];

function resolved(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    // Not there (yet): resolve its folder, which is what a new file would be created in.
    try {
      return path.join(realpathSync(path.dirname(file)), path.basename(file));
    } catch {
      return path.resolve(file);
    }
  }
}

function sameInode(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

export function sameFileAsDatabase(target: string, database: string): boolean {
  const out = resolved(target);
  return SQLITE_COMPANIONS.some((suffix) => {
    const file = `${database}${suffix}`;
    return out === resolved(file) || sameInode(target, file);
  });
}
