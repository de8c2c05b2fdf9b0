/**
 * Rehearsals, in one import: the record (pure), its files (one JSON file per rehearsal) and
 * its text for the terminal (a report, a comparison).
 */
export * from './rehearsal-record.ts';
export * from './rehearsal-files.ts';
export * from './rehearsal-format.ts';
