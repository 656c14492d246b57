/**
 * The recording format (recording-format.md): line schema, streaming reader, tie rule, writer and
 * importers. The live recorder (`recorder.ts`) and `kalshi-mm synth` write through `RecordingWriter`;
 * the backtester reads through `readRecording` + `applyTieRule`.
 */
export * from './schema.js';
export { readRecording, readRecordingHeader, readTextLines, lineMentions, isGzipPath, type ReadRecordingOptions } from './reader.js';
export { applyTieRule, orderGroup } from './tie-rule.js';
export { RecordingWriter, type RecordingLineOut, type RecordingWriterOptions } from './writer.js';
export * from './importers/index.js';
