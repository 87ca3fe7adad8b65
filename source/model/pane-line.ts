import type {LogRecord} from '../protocol/record.js';

/**
 * What a pane's buffer holds: a log record, or a notice from the stream (a new run started, history was
 * purged, a gap was filled) shown in line with the logs so the user sees where it happened.
 */
export type PaneLine = {record: LogRecord; notice: boolean};
