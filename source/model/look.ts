import type {ChalkInstance} from 'chalk';
import type {Level} from '../protocol/levels.js';

/** How a piece of a line looks. Colors are named ANSI colors (16-color safe) and dropped without color. */
export type Look = {
	color?: 'red' | 'yellow' | 'green' | 'cyan' | 'gray' | 'blue' | 'magenta';
	background?: 'yellow';
	bold?: boolean;
	dim?: boolean;
	inverse?: boolean;
	underline?: boolean;
};

/**
 * The one level palette, for the viewer and `follow` alike: ERROR and FATAL red and bold, WARN yellow,
 * INFO plain (most lines are INFO: plain keeps the eye on the rest), DEBUG and TRACE dim.
 */
export function levelLook(level: Level): Look | undefined {
	switch (level) {
		case 'FATAL':
		case 'ERROR': {
			return {color: 'red', bold: true};
		}

		case 'WARN': {
			return {color: 'yellow'};
		}

		case 'DEBUG':
		case 'TRACE': {
			return {dim: true};
		}

		default: {
			return undefined;
		}
	}
}

/** The hues an entity's label takes: none of them a level's warning color alone, all 16-color safe. */
const ENTITY_COLORS = ['cyan', 'magenta', 'green', 'blue', 'yellow'] as const;

/**
 * How an entity's `[nightly-etl/load]` label looks on a stream that mixes entities (`all`), in the viewer
 * and `follow` alike: a color chosen by the name, so the same job is the same color in every pane, every
 * run and every terminal, and lines of one job are followed by eye, as stern does.
 */
export function entityLook(key: string): Look {
	let hash = 0;
	for (let index = 0; index < key.length; index++) {
		hash = (hash * 31 + key.charCodeAt(index)) >>> 0;
	}

	return {color: ENTITY_COLORS[hash % ENTITY_COLORS.length]!};
}

/**
 * Styles text with `style` (a Chalk with the output's color level). With `color` false only bold, dim,
 * inverse and underline remain: they carry no hue, so NO_COLOR keeps them (see no-color.org).
 */
export function applyLook(style: ChalkInstance, text: string, look: Look | undefined, color: boolean): string {
	if (!look || text === '') {
		return text;
	}

	let dressed = style;
	if (color && look.color) {
		dressed = dressed[look.color];
	}

	if (color && look.background === 'yellow') {
		dressed = dressed.bgYellow.black;
	} else if (look.background) {
		dressed = dressed.inverse;
	}

	if (look.bold) {
		dressed = dressed.bold;
	}

	if (look.dim) {
		dressed = dressed.dim;
	}

	if (look.inverse) {
		dressed = dressed.inverse;
	}

	if (look.underline) {
		dressed = dressed.underline;
	}

	return dressed(text);
}
