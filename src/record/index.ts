/**
 * The recording format (recording-format.md): line schema, streaming reader, tie rule, writer and
 * importers. The live recorder (`recorder.ts`) and `kalshi-mm synth` write through `RecordingWriter`;
 * the backtester reads through `readRecording` + `applyTieRule`.
 */
export * from './schema.js';
export { countLines, readRecording, readRecordingBatches, readRecordingHeader, readTextLines, readTextBatches, lineMentions, isGzipPath, type ReadRecordingOptions, type TextBatch } from './reader.js';
export { applyTieRule, orderGroup, TieRuleOrderer } from './tie-rule.js';
export { RecordingWriter, type RecordingLineOut, type RecordingWriterOptions } from './writer.js';
export * from './importers/index.js';
export * from './recorder.js';
export * from './poller.js';
