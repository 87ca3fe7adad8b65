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
	/** The task or artifact, shown as `[label]`; on a pane over every entity, the entity too (`nightly-etl/extract`). */
	label?: string;
	/** Set when the label names an entity: the key its color is chosen by (one color per entity, as stern does). */
	entity?: string;
	notice: boolean;
	/** A notice that says the stream was quiet (`── quiet 2m14s ──`, quiet-gap.ts): drawn dim. */
	quiet?: boolean;
};

/** `withEntity`: the pane mixes entities (`all`), so each line says whose it is. */
export function toPaneLine(record: LogRecord, withEntity = false): PaneLine {
	const {label, entity} = recordLabels(record, withEntity);
	return {timestamp: record.timestamp, level: record.level, message: record.message, label, notice: false, ...(entity ? {entity} : {})};
}

/** The label a record's line shows (`extract`, or `etl/extract` with its entity) and that entity, if any. */
export function recordLabels(record: LogRecord, withEntity: boolean): {label?: string; entity?: string} {
	const child = recordLabel(record);
	const entity = withEntity ? (record.automationId ?? record.pipelineId) : undefined;
	return {label: entity ? (child ? `${entity}/${child}` : entity) : child, entity};
}
