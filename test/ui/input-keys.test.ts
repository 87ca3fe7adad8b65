import type {Key} from 'ink';
import {describe, expect, it} from 'vitest';
import {char, ctrl, named} from '../../source/model/viewer-key.js';
import {readKeys} from '../../source/ui/input-keys.js';

/** Ink's flags for a read that is no key of its own (a run of characters). */
const plain: Key = {
	upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
	return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
	super: false, hyper: false, capsLock: false, numLock: false,
};

describe('readKeys: Ink\'s input, once, as the viewer\'s keys', () => {
	it('reads a run of characters with control characters in it as the keys they are, one grapheme a key', () => {
		expect(readKeys('/ER\u007FROR\r👍🏽G\t\u0015\u0001x\n\b', plain)).toEqual([
			char('/'), char('E'), char('R'), named('backspace'), char('R'), char('O'), char('R'), named('enter'),
			char('👍🏽'), char('G'), named('tab'), ctrl('u'), ctrl('a'), char('x'), named('enter'), named('backspace'),
		]);
	});

	it('reads Ink\'s flagged keys', () => {
		expect(readKeys('', {...plain, return: true})).toEqual([named('enter')]);
		expect(readKeys('', {...plain, escape: true, meta: true})).toEqual([named('escape')]);
		// Ink calls the Backspace key (DEL) `delete`, as it does the Delete key.
		expect(readKeys('', {...plain, delete: true})).toEqual([named('backspace')]);
		expect(readKeys('', {...plain, delete: true, meta: true})).toEqual([named('backspace', true)]);
		expect(readKeys('', {...plain, tab: true})).toEqual([named('tab')]);
		expect(readKeys('', {...plain, tab: true, shift: true})).toEqual([named('shift-tab')]);
		expect(readKeys('', {...plain, pageDown: true})).toEqual([named('page-down')]);
		expect(readKeys('', {...plain, leftArrow: true, ctrl: true})).toEqual([named('left', true)]);
		expect(readKeys('', {...plain, rightArrow: true, meta: true})).toEqual([named('right', true)]);
		expect(readKeys('u', {...plain, ctrl: true})).toEqual([ctrl('u')]);
		expect(readKeys('b', {...plain, meta: true})).toEqual([{kind: 'alt', char: 'b'}]);
		expect(readKeys('G', {...plain, shift: true})).toEqual([char('G')]);
	});

	it('reads the wheel with the cell under the pointer, paste markers, and nothing else of the mouse', () => {
		expect(readKeys('[<64;10;5M', plain)).toEqual([{kind: 'wheel', up: true, column: 9, row: 4}]);
		expect(readKeys('[<65;1;1M', plain)).toEqual([{kind: 'wheel', up: false, column: 0, row: 0}]);
		expect(readKeys('[<0;3;3M', plain)).toEqual([{kind: 'other'}]);
		expect(readKeys('[200~', plain)).toEqual([{kind: 'paste', start: true}]);
		expect(readKeys('[201~', plain)).toEqual([{kind: 'paste', start: false}]);
		expect(readKeys('', plain)).toEqual([{kind: 'other'}]);
	});
});
