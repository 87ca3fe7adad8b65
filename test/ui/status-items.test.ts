import {describe, expect, it} from 'vitest';
import {Workspace} from '../../source/model/workspace.js';
import {statusItems} from '../../source/ui/status-items.js';
import {MemoryStream} from './memory-stream.js';

describe('the status bar while a filter is applied in slices', () => {
	it('says how far it has come, and nothing once it is done', async () => {
		let stream: MemoryStream | undefined;
		const workspace = new Workspace({
			server: 'http://dbtail.test',
			scrollback: 100_000,
			factory(source) {
				stream = new MemoryStream(source);
				return stream;
			},
		});
		workspace.open('task/a');
		workspace.resize({columns: 120, rows: 30});
		for (let n = 1; n <= 100_000; n++) {
			stream!.log(n % 97 === 0 ? `request ${n} timeout` : `request ${n} ok`);
		}

		const store = workspace.focused!.store;
		store.setFilter('time(out)?');
		const texts = () => statusItems(workspace, Date.now()).map((item) => item.text);
		expect(texts().find((text) => text.startsWith('filtering… '))).toMatch(/^filtering… \d{1,2}%$/);
		await store.indexed();
		expect(texts().some((text) => text.startsWith('filtering'))).toBe(false);
		expect(texts()).toContain(`/time(out)?/ ${Math.floor(100_000 / 97).toLocaleString('en-US')} shown`);
		workspace.dispose();
	});
});
