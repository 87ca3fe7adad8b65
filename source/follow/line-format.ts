import type {ChalkInstance} from 'chalk';
import {applyLook, entityLook, levelLook} from '../model/look.js';
import {recordLabels} from '../model/pane-line.js';
import {formatTimestamp, type TimestampMode} from '../model/timestamps.js';
import {linePrefix, type PrefixStyle} from '../protocol/line-text.js';
import type {LogRecord} from '../protocol/record.js';
import {escapeJsonControls} from '../protocol/sanitize.js';

/*
 * One record as `tail -f` style text: `2026-11-22T10:30:45.123Z INFO  [extract] message`, continuation
 * lines of a multi-line message indented under the first. Text is already sanitized by the client; color
 * codes are the only escapes this adds, and only when a Chalk with color is given.
 */

/** The viewer's words (model/timestamps.ts), meaning the same here, and `elapsed`, which only a printer has. */
export type TimestampStyle = TimestampMode | 'elapsed';
export const TIMESTAMP_STYLES: readonly TimestampStyle[] = ['iso', 'absolute', 'relative', 'elapsed', 'none'];

/**
 * `withEntity`: the stream mixes entities (`all`), so each line says whose it is, `[nightly-etl/load]`, in
 * that entity's color, as the viewer's pane on `all` does.
 * `source`: one of several sources followed at once (sanitized already), said first on each of its lines,
 * `[automation/etl-a] `, in the source's own color (entityLook: the same source the same color every time,
 * as stern colors a pod), so the lines of one source are followed by eye where they interleave.
 */
export type LineFormatOptions = {
	timestamps: TimestampStyle;
	color?: ChalkInstance;
	withEntity?: boolean;
	source?: string;
	/** `elapsed` counts from the first line printed: the sources of one follow share this, so all count from one line. */
	elapsedOrigin?: {at?: number};
};

/** The label a line shows, as the viewer's pane shows it (model/pane-line.ts), and the entity it names, if any. */
export function shownLabel(record: LogRecord, withEntity: boolean): {label?: string; entity?: string} {
	return recordLabels(record, withEntity);
}

/** `+1.234s`, `+2m03.456s`: time since the first printed record. */
export function formatOffset(ms: number): string {
	const sign = ms < 0 ? '-' : '+';
	const abs = Math.abs(ms);
	const minutes = Math.floor(abs / 60_000);
	const seconds = ((abs % 60_000) / 1000).toFixed(3);
	return minutes > 0 ? `${sign}${minutes}m${seconds.padStart(6, '0')}s` : `${sign}${seconds}s`;
}

export class LineFormatter {
	readonly #options: LineFormatOptions;
	readonly #style: PrefixStyle | undefined;
	/** The style of lines naming each entity (a handful per stream), made once. */
	readonly #entityStyles = new Map<string, PrefixStyle>();
	/** `[source] ` plain (its width indents continuation lines) and as printed. */
	readonly #source: {plain: string; shown: string};
	readonly #origin: {at?: number};

	constructor(options: LineFormatOptions) {
		this.#options = options;
		const chalk = options.color;
		this.#style = chalk && {
			time: (text) => chalk.dim(text),
			level: (text, level) => applyLook(chalk, text, levelLook(level), true),
			label: (text) => chalk.cyan(text),
		};
		const plain = options.source === undefined ? '' : `[${options.source}] `;
		const shown = chalk && plain ? `${applyLook(chalk, plain.trimEnd(), entityLook(options.source!), true)} ` : plain;
		this.#source = {plain, shown};
		this.#origin = options.elapsedOrigin ?? {};
	}

	format(record: LogRecord): string {
		const time = this.#time(record.timestamp);
		const {label, entity} = shownLabel(record, this.#options.withEntity ?? false);

		const plainPrefix = linePrefix(time, record.level, label);
		const style = entity === undefined ? this.#style : this.#entityStyle(entity);
		const prefix = style ? linePrefix(time, record.level, label, style) : plainPrefix;
		const message = record.message.includes('\n')
			? record.message.replaceAll('\n', `\n${' '.repeat(this.#source.plain.length + plainPrefix.length)}`)
			: record.message;
		return `${this.#source.shown}${prefix}${message}\n`;
	}

	#entityStyle(entity: string): PrefixStyle | undefined {
		const chalk = this.#options.color;
		if (!chalk || !this.#style) {
			return undefined;
		}

		let style = this.#entityStyles.get(entity);
		if (!style) {
			const look = entityLook(entity);
			style = {...this.#style, label: (text) => applyLook(chalk, text, look, true)};
			this.#entityStyles.set(entity, style);
		}

		return style;
	}

	#time(timestamp: string): string {
		if (this.#options.timestamps !== 'elapsed') {
			return formatTimestamp(timestamp, this.#options.timestamps, Date.now()).trimEnd();
		}

		const at = Date.parse(timestamp);
		this.#origin.at ??= at;
		return formatOffset(at - this.#origin.at).padStart(10);
	}
}

/**
 * `--json`: the normalized record, one per line (with `source` first when several sources are followed). The message is as the server sent it (LogStream's
 * rawMessages): JSON's escapes are its neutralization, C0 by JSON.stringify and the rest here, so no byte
 * a terminal obeys is printed while a reader gets the original text back.
 */
export function formatJson(record: LogRecord, source?: string): string {
	// Several sources: which one the record came by, first, so `jq 'select(.source == ...)'` reads it.
	return `${escapeJsonControls(JSON.stringify(source === undefined ? record : {source, ...record}))}\n`;
}
