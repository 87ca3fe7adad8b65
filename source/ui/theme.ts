import {createContext, useContext} from 'react';

/**
 * Colors are named ANSI colors (safe on 16-color terminals). With NO_COLOR or --no-color the viewer uses
 * no color at all but keeps bold, dim and inverse, which carry no hue (see no-color.org).
 */
export type Theme = {color: boolean};

export const ThemeContext = createContext<Theme>({color: true});

export function useTheme(): Theme {
	return useContext(ThemeContext);
}

/** A color for an Ink `color` prop, only when colors are on. */
export function tint(theme: Theme, color: string | undefined): string | undefined {
	return theme.color ? color : undefined;
}
