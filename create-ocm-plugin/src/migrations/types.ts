/**
 * A migration changes what the three-way merge of template outputs cannot: files the author added, moved imports,
 * renamed files. Migrations are numbered (`NNN-title.ts`), run in that order, and each must be idempotent: it looks
 * at the project as it is and changes only what still needs changing, so running it twice changes nothing.
 */

/** The project as the update is about to leave it: every read sees earlier writes. */
export interface ProjectTree {
  /** Project-relative paths of all files, `/`-separated, without `node_modules`, `.git`, `dist`. */
  list(): string[];
  read(path: string): string | undefined;
  write(path: string, text: string): void;
  remove(path: string): void;
}

export interface Migration {
  /** The `NNN` of its file name. */
  readonly id: string;
  readonly title: string;
  /** The template version that brings the change: runs when updating from an older stamp to this or a newer one. */
  readonly introducedIn: string;
  /** Changes the tree; returns one line per change made (none when there was nothing left to do). */
  run(tree: ProjectTree): string[];
}
