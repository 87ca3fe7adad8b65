import {createContext, useContext} from 'react';
import type {Level} from '../protocol/levels.js';

/**
 * Colors are named ANSI colors (safe on 16-color terminals). With NO_COLOR or --no-color the viewer uses
 * no color at all but keeps bold, dim and inverse, which carry no hue (see no-color.org).
 */
export type Theme = {color: boolean};

export const ThemeContext = createContext<Theme>({color: true});

export function useTheme(): Theme {
	return useContext(ThemeContext);
}

export type LevelStyle = {color?: string; dimColor?: boolean; bold?: boolean};

export function levelStyle(level: Level, theme: Theme): LevelStyle {
	switch (level) {
		case 'FATAL': {
			return {color: theme.color ? 'red' : undefined, bold: true};
		}

		case 'ERROR': {
			return theme.color ? {color: 'red'} : {bold: true};
		}

		case 'WARN': {
			return theme.color ? {color: 'yellow'} : {};
		}

		case 'DEBUG':
		case 'TRACE': {
			return {dimColor: true};
		}

		default: {
			return {};
		}
	}
}

/** Picks a color only when colors are on. */
export function tint(theme: Theme, color: string | undefined): string | undefined {
	return theme.color ? color : undefined;
}
