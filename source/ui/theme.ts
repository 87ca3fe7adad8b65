import {createContext, useContext} from 'react';
import type {Level} from '../protocol/levels.js';
import type {Look} from './paint.js';

/**
 * Colors are named ANSI colors (safe on 16-color terminals). With NO_COLOR or --no-color the viewer uses
 * no color at all but keeps bold, dim and inverse, which carry no hue (see no-color.org).
 */
export type Theme = {color: boolean};

export const ThemeContext = createContext<Theme>({color: true});

export function useTheme(): Theme {
	return useContext(ThemeContext);
}

/** ERROR red, WARN yellow, INFO plain, DEBUG and TRACE dim; FATAL red and bold. */
export function levelLook(level: Level): Look | undefined {
	switch (level) {
		case 'FATAL': {
			return {color: 'red', bold: true};
		}

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

/** A color for an Ink `color` prop, only when colors are on. */
export function tint(theme: Theme, color: string | undefined): string | undefined {
	return theme.color ? color : undefined;
}
