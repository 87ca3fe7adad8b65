import type {Level} from '../protocol/levels.js';
import {recordLabel, type LogRecord} from '../protocol/record.js';

/**
 * What a pane's buffer holds per line: only what it shows, filters and copies. A record as it arrives
 * carries ids, run, entity, stream and metadata too (about 350 bytes a line); a scrollback of 100,000
 * lines in each of several panes keeps this compact copy instead, which shares the record's strings.
 * A notice (a new run started, history purged, a gap filled) sits in line with the logs.
 */
export type PaneLine = {
	timestamp: string;
	level: Level;
	message: string;
	/** The task or artifact, shown as `[label]`. */
	label?: string;
	notice: boolean;
};

export function toPaneLine(record: LogRecord): PaneLine {
	return {timestamp: record.timestamp, level: record.level, message: record.message, label: recordLabel(record), notice: false};
}
