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
	if (!/[\u0008\u0015\u007F]/.test(text)) {
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

/**
 * ink-text-input makes its next value from the value it was last drawn with, so a key read before the next
 * frame drops whatever was typed since (`co`, `nn`, Ctrl-U, `re` in four reads came out `cotry`). `drawn`
 * is that value, `latest` what the prompt holds now: the keys TextInput added go after `latest` instead.
 */
export function catchUp(next: string, drawn: string, latest: string): string {
	return latest !== drawn && next.startsWith(drawn) ? latest + next.slice(drawn.length) : next;
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
		// Once, when the prompt opens.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, []);
	return inputKey;
}
