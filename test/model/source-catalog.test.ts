import {describe, expect, it} from 'vitest';
import type {Catalog} from '../../source/protocol/api.js';
import {DEMO_ENTITIES} from '../../source/demo/workload.js';
import {catalogEntries, searchSources, type SourceEntry} from '../../source/model/source-catalog.js';
import {SourcePickerState} from '../../source/model/source-picker-state.js';

const catalog = {
	automations: [{id: 'nightly-etl', tasks: ['extract', 'load'], currentRun: {runId: 'r-1', status: 'running' as const, startedAt: ''}}],
	pipelines: [{id: 'sales\u001B]0;x', artifacts: ['report-csv'], currentRun: null}],
};

/** The demo's catalog as its server answers it: entities sorted by id, children in the order they first logged. */
function demoCatalog(): Catalog {
	const byId = [...DEMO_ENTITIES].sort((a, b) => a.id.localeCompare(b.id));
	const of = (kind: 'automation' | 'pipeline') => byId.filter((entity) => entity.kind === kind);
	return {
		automations: of('automation').map((entity) => ({id: entity.id, tasks: entity.children, currentRun: null})),
		pipelines: of('pipeline').map((entity) => ({id: entity.id, artifacts: entity.children, currentRun: null})),
	};
}

const demo = catalogEntries(demoCatalog());
const names = (query: string, limit = 20) => searchSources(demo, query, limit).map((entry) => entry.name);

describe('catalog entries', () => {
	it('lists automations with their tasks and pipelines with their artifacts, sanitized', () => {
		expect(catalogEntries(catalog).map((entry) => [entry.name, entry.status])).toEqual([
			['all', undefined],
			['automation/nightly-etl', 'running'],
			['task/extract', 'running'],
			['task/load', 'running'],
			['pipeline/sales␛]0;x', undefined],
			['artifact/report-csv', undefined],
		]);
		expect(catalogEntries(catalog).at(-1)?.owners).toEqual(['pipeline/sales␛]0;x']);
	});

	it('shows only run statuses the protocol knows: a hostile one (an OSC 52 clipboard write) never reaches the screen', () => {
		const hostile = {
			automations: [{id: 'a', tasks: [], currentRun: {runId: 'r-1', status: '\u001B]52;c;aGk=\u0007running' as 'running', startedAt: ''}}],
			pipelines: [],
		};
		expect(catalogEntries(hostile).map((entry) => entry.status)).toEqual([undefined, undefined]);
	});

	it('lists a task two automations logged once, with both owners and the newest run’s status (task/t1 opens it in both)', () => {
		const shared: Catalog = {
			automations: [
				{id: 'a', tasks: ['t1'], currentRun: {runId: 'r-1', status: 'succeeded', startedAt: '2026-01-01T10:00:00.000Z'}},
				{id: 'b', tasks: ['t1', 't2'], currentRun: {runId: 'r-2', status: 'failed', startedAt: '2026-01-01T11:00:00.000Z'}},
			],
			pipelines: [],
		};
		expect(catalogEntries(shared)).toEqual([
			{name: 'all'},
			{name: 'automation/a', status: 'succeeded'},
			{name: 'task/t1', status: 'failed', owners: ['automation/a', 'automation/b']},
			{name: 'automation/b', status: 'failed'},
			{name: 'task/t2', status: 'failed', owners: ['automation/b']},
		]);
	});
});

describe('searching the catalog with fzf', () => {
	it('lists the catalog in its order for an empty or blank query, up to the limit', () => {
		expect(names('')).toEqual(demo.map((entry) => entry.name));
		expect(names('   ', 3)).toEqual(['all', 'automation/hourly-sync', 'task/fetch']);
	});

	it('finds a subsequence: rprt is artifact/report-csv first, and extrct is task/extract', () => {
		expect(names('rprt')).toEqual(['artifact/report-csv', 'pipeline/sales-report', 'artifact/orders-parquet']);
		expect(names('reprt')[0]).toBe('artifact/report-csv');
		expect(names('extrct')).toEqual(['task/extract']);
	});

	it('ranks as fzf does on the demo’s catalog: word starts and runs first, then the shorter name, then catalog order', () => {
		// orders-parquet's own name has no `report`: its pipeline's has, so it comes after.
		expect(names('report')).toEqual(['artifact/report-csv', 'pipeline/sales-report', 'artifact/orders-parquet']);
		expect(names('all')[0]).toBe('all');
		expect(names('load')).toEqual(['task/load']);
		expect(names('tf')[0]).toBe('task/fetch');
		expect(names('task/')).toEqual(['task/load', 'task/fetch', 'task/upsert', 'task/extract', 'task/transform']);
	});

	it('takes fzf’s extended syntax: exact, prefix, suffix, negation, or, and a space for "and"', () => {
		expect(names("'port")).toEqual(['artifact/report-csv', 'pipeline/sales-report', 'artifact/orders-parquet']);
		expect(names("'port !sales")).toEqual(['artifact/report-csv']);
		expect(names("'rprt")).toEqual([]);
		expect(names('^pipe')).toEqual(['pipeline/sales-report']);
		expect(names('^task')).toHaveLength(5);
		expect(names('csv$')).toEqual(['artifact/report-csv']);
		expect(names('^artifact/report-csv$')).toEqual(['artifact/report-csv']);
		expect(names('!task !automation !artifact')).toEqual(['all', 'pipeline/sales-report']);
		expect(names('^task !load !fetch !upsert')).toEqual(['task/extract', 'task/transform']);
		expect(names('^task/load$ | ^all$')).toEqual(['task/load', 'all']);
		expect(names('task ex')).toEqual(['task/extract']);
	});

	it('is smart-case, as fzf is: lower case matches either case, an upper-case letter makes it exact', () => {
		const entries: SourceEntry[] = [{name: 'task/Extract'}, {name: 'task/extract'}];
		expect(searchSources(entries, 'extract', 5).map((entry) => entry.name)).toEqual(['task/Extract', 'task/extract']);
		expect(searchSources(entries, 'Extract', 5).map((entry) => entry.name)).toEqual(['task/Extract']);
	});

	it('finds a task or artifact by its owner too, after the rows whose own name matches', () => {
		expect(names('nightly')).toEqual(['automation/nightly-etl', 'task/load', 'task/extract', 'task/transform']);
		expect(names('nightly load')).toEqual(['task/load']);
		expect(names('sales csv')).toEqual(['artifact/report-csv']);
		expect(names('sync fetch')).toEqual(['task/fetch']);
	});

	it('stops at the limit, keeping the best', () => {
		expect(names('a', 2)).toEqual(['all', 'artifact/report-csv']);
		expect(names('rprt', 1)).toEqual(['artifact/report-csv']);
		expect(names('nightly', 2)).toEqual(['automation/nightly-etl', 'task/load']);
		expect(names('rprt', 0)).toEqual([]);
	});
});

describe('what Enter opens with this ranking (SourcePickerState.choice)', () => {
	async function picker(query: string): Promise<SourcePickerState> {
		let ready!: () => void;
		const loaded = new Promise<void>((resolve) => {
			ready = resolve;
		});
		const state = new SourcePickerState(async () => demo, () => ready());
		await loaded;
		state.editor.set(query);
		state.edited();
		return state;
	}

	it('opens a well-formed source typed whole exactly, and the top match otherwise', async () => {
		expect((await picker('task/extract')).choice()).toBe('task/extract');
		expect((await picker('artifact/report-csv')).choice()).toBe('artifact/report-csv');
		expect((await picker('task/extract?run=r-1')).choice()).toBe('task/extract?run=r-1');
		expect((await picker('rprt')).choice()).toBe('artifact/report-csv');
		expect((await picker('^task !load')).choice()).toBe('task/fetch');
		expect((await picker('nightly load')).choice()).toBe('task/load');
	});
});
