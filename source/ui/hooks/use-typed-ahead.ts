import {useEffect, useState} from 'react';

/**
 * Typed text up to its first Enter, whether there was one (an Enter inside a run submits), and what came
 * after it (`/ERROR⏎G` in one read: `G` is a key for the panes again).
 */
export function splitAtEnter(typed: string): {text: string; enter: boolean; rest: string} {
	const enter = typed.search(/[\r\n]/);
	return enter === -1 ? {text: typed, enter: false, rest: ''} : {text: typed.slice(0, enter), enter: true, rest: typed.slice(enter + 1)};
}

/**
 * Ctrl-U and Backspace inside a run of typed text (one read holding `!info⌃U!INFO`, as a fast typist or a
 * slow ssh link delivers it) edit it as they would have, one key at a time; TextInput would keep them raw.
 */
export function editLine(text: string): string {
	if (!text.includes('\b') && !text.includes('\u0015') && !text.includes('\u007F')) {
		return text;
	}

	let kept: string[] = [];
	for (const char of text) {
		if (char === '\u0015') {
			kept = [];
		} else if (char === '\u007F' || char === '\u0008') {
			kept.pop();
		} else {
			kept.push(char);
		}
	}

	return kept.join('');
}

/** What TextInput inserted into `drawn` to make `typed`, and where: at its cursor, wherever that was. */
export function insertion(drawn: string, typed: string): {at: number; text: string} | undefined {
	const added = typed.length - drawn.length;
	if (added <= 0) {
		return undefined;
	}

	let at = 0;
	while (at < drawn.length && drawn[at] === typed[at]) {
		at++;
	}

	return typed.slice(at + added) === drawn.slice(at) ? {at, text: typed.slice(at, at + added)} : undefined;
}

/**
 * A prompt's line after TextInput's change `typed`. TextInput inserts a read of keys at its cursor into the
 * value it was last drawn with (`drawn`); those keys may hold an Enter (what follows it is `rest`, keys for
 * the panes), Ctrl-U or Backspace. And a read that comes before the next frame would drop whatever was typed
 * since (`co`, `nn`, Ctrl-U, `re` in four reads came out `cotry`): those keys go after `latest`, what the
 * prompt holds now.
 */
export function readTyped(drawn: string, latest: string, typed: string): {text: string; enter: boolean; rest: string} {
	const inserted = insertion(drawn, typed);
	if (!inserted) {
		// A deletion: as TextInput made it.
		return {text: typed, enter: false, rest: ''};
	}

	const line = latest === drawn ? drawn : latest;
	const at = latest === drawn ? inserted.at : latest.length;
	const {text: keys, enter, rest} = splitAtEnter(inserted.text);
	return {text: editLine(line.slice(0, at) + keys) + line.slice(at), enter, rest};
}

/**
 * Once, when a prompt opens: hands it the keys typed before it was drawn (`take` empties the buffer).
 * Returns a React key for the prompt's TextInput. ink-text-input keeps its cursor where it was when its
 * value is set from outside (at 0 for a fresh prompt), so the next keys would land before the typed-ahead
 * text; a new key remounts it, and a mounted TextInput puts its cursor at the end of its value.
 */
export function useTypedAhead(take: (() => string) | undefined, accept: (typed: string) => void): number {
	const [inputKey, setInputKey] = useState(0);
	useEffect(() => {
		const typed = take?.() ?? '';
		if (typed) {
			accept(typed);
			setInputKey((key) => key + 1);
		}
		// eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the prompt opens
	}, []);
	return inputKey;
}
