import {describe, expect, it} from 'vitest';
import type {SourceEntry} from '../../source/model/source-catalog.js';
import {SourcePickerState} from '../../source/model/source-picker-state.js';

/** A picker whose catalog is there. */
async function pickerOver(entries: SourceEntry[]): Promise<SourcePickerState> {
	let loaded: () => void = () => undefined;
	const ready = new Promise<void>((resolve) => {
		loaded = resolve;
	});
	const picker = new SourcePickerState(async () => entries, loaded);
	await ready;
	return picker;
}

const catalog: SourceEntry[] = [{name: 'all'}, {name: 'automation/nightly-etl'}, {name: 'task/extract', owners: ['automation/nightly-etl']}];

describe('what Enter opens in the picker', () => {
	it('opens a well-formed source as typed, pin and all, and says so', async () => {
		const picker = await pickerOver(catalog);
		picker.editor.insert('task/extract?run=r-4');
		expect(picker.choice()).toBe('task/extract?run=r-4');
		expect(picker.opensAsTyped()).toBe(true);
	});

	it('does not promise to open as typed what is no source and no row (`nightly load` would be refused)', async () => {
		const picker = await pickerOver(catalog);
		picker.editor.insert('zzz qqq');
		expect(picker.matches()).toEqual([]);
		expect(picker.opensAsTyped()).toBe(false);
	});

	it('opens the chosen row, which is no typed source', async () => {
		const picker = await pickerOver(catalog);
		picker.editor.insert('extract');
		expect(picker.choice()).toBe('task/extract');
		expect(picker.opensAsTyped()).toBe(false);
	});

	it('walks the matches with move, never past either end', async () => {
		const picker = await pickerOver(catalog);
		picker.move(-1);
		expect(picker.choice()).toBe('all');
		picker.move(5);
		expect(picker.choice()).toBe('task/extract');
		picker.editor.insert('x');
		picker.edited();
		expect(picker.moved).toBe(false);
	});
});
