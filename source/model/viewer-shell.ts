/** What became of a copy: it worked or not, and how to say so in the status bar. */
export type Copied = {ok: boolean; message: string};

/**
 * What a key may ask of the terminal around the viewer, which the model cannot do itself: the App gives
 * the real ones (Ink's exit, the clipboard, Ctrl-L's repaint, Ctrl-Z's stop); tests give recording ones.
 */
export type ViewerShell = {
	quit(): void;
	/** Puts text on the user's clipboard (ui/clipboard.ts: tmux's buffer in tmux, else OSC 52); says how. */
	copy(text: string): Promise<Copied>;
	/** Ctrl-L: draws the whole screen again. */
	redraw(): void;
	/** Ctrl-Z: gives the terminal back and stops, as less does; `fg` brings the viewer back. */
	suspend(): void;
};
