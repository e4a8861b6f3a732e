/**
 * The events layer: the records a run writes to events.csv and the one writer and reader of them. A leaf
 * (imports only errors.ts): the engine and the harness emit these records, and the analysis, which may
 * import nothing else of the engine, reads results folders with parseEvent.
 */
export * from './records.ts';
export { formatEvent, parseEvent, MalformedEventError } from './codec.ts';
