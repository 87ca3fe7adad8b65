import {describe, expect, it} from 'vitest';
import {statusItems} from '../../source/ui/status-items.js';
import type {Workspace} from '../../source/model/workspace.js';
import {memoryWorkspace} from './memory-stream.js';

describe('the status bar while a filter is applied in slices', () => {
	it('says how far it has come, and nothing once it is done', async () => {
		const {workspace, stream: streamOf} = memoryWorkspace({scrollback: 100_000});
		workspace.open('task/a');
		const stream = streamOf('task/a');
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

describe('the status bar of a pane scrolled back', () => {
	it('says which line of the run the cursor is on, and nothing of it while following live', () => {
		const {workspace, stream: streamOf} = memoryWorkspace({scrollback: 1000});
		workspace.open('automation/a');
		const stream = streamOf('automation/a');
		workspace.resize({columns: 160, rows: 12});
		for (let n = 1; n <= 1500; n++) {
			stream!.log(`request ${n}`);
		}

		const texts = () => statusItems(workspace, Date.now()).map((item) => item.text);
		expect(texts().some((text) => text.startsWith('line '))).toBe(false);
		workspace.focused!.store.top();
		expect(texts()).toContain('line 501 of 1,500');
		workspace.focused!.store.scroll(10);
		expect(texts()).toContain('line 511 of 1,500');
		workspace.dispose();
	});
});

describe('the status bar of a pane over part of a run, scrolled back', () => {
	/** A task's lines, each third line of its run (two other tasks log the rest): seq is the run's line number. */
	function taskPane(source: string) {
		const {workspace, stream: streamOf} = memoryWorkspace({scrollback: 1000});
		workspace.open(source);
		const stream = streamOf(source);
		workspace.resize({columns: 160, rows: 12});
		for (let n = 1; n <= 1500; n++) {
			stream.log(`request ${n}`, 'INFO', {seq: 3 * n, taskId: 'a'});
		}

		return workspace;
	}

	const texts = (workspace: Workspace) => statusItems(workspace, Date.now()).map((item) => item.text);

	it('a task: says the line of the run, not "of" the last seq the task sent, which counts neither the task nor the run', () => {
		const workspace = taskPane('task/a?run=r-1');
		workspace.focused!.store.top();
		// The oldest line held is the task's 501st, the run's 1,503rd; the task's last is the run's 4,500th.
		expect(texts(workspace)).toContain('line 1,503 of the run');
		expect(texts(workspace).join(' · ')).not.toContain('of 4,500');
		workspace.dispose();
	});

	it('every entity: lines of many runs, so the line is of its own run', () => {
		const workspace = taskPane('all');
		workspace.focused!.store.top();
		expect(texts(workspace)).toContain('line 1,503 of its run');
		workspace.dispose();
	});
});

describe('the status bar of a pane searched', () => {
	it('counts hits in the singular and the plural', async () => {
		const {workspace, stream: streamOf} = memoryWorkspace({scrollback: 100});
		workspace.open('automation/a');
		workspace.resize({columns: 160, rows: 12});
		for (const message of ['quetzal once', 'twice 1', 'twice 2']) {
			streamOf('automation/a').log(message);
		}

		const store = workspace.focused!.store;
		const search = async (text: string) => {
			store.setSearch(text);
			await store.indexed();
			return statusItems(workspace, Date.now()).map((item) => item.text);
		};

		expect(await search('quetzal')).toContain('search "quetzal" 1 hit');
		expect(await search('twice')).toContain('search "twice" 2 hits');
		expect(await search('none')).toContain('search "none" 0 hits');
		workspace.dispose();
	});
});
