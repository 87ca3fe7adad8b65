import {describe, expect, it} from 'vitest';
import {catalogEntries, searchSources} from '../../source/model/source-catalog.js';

const catalog = {
	automations: [{id: 'nightly-etl', tasks: ['extract', 'load'], currentRun: {runId: 'r-1', status: 'running' as const, startedAt: ''}}],
	pipelines: [{id: 'sales\u001B]0;x', artifacts: ['report-csv'], currentRun: null}],
};

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
	});

	it('shows only run statuses the protocol knows: a hostile one (an OSC 52 clipboard write) never reaches the screen', () => {
		const hostile = {
			automations: [{id: 'a', tasks: [], currentRun: {runId: 'r-1', status: '\u001B]52;c;aGk=\u0007running' as 'running', startedAt: ''}}],
			pipelines: [],
		};
		expect(catalogEntries(hostile).map((entry) => entry.status)).toEqual([undefined, undefined]);
	});

	it('matches fuzzily, best first, and lists all for an empty query', () => {
		const entries = catalogEntries(catalog);
		expect(searchSources(entries, 'extrct', 5)[0]?.name).toBe('task/extract');
		expect(searchSources(entries, 'reprt', 5)[0]?.name).toBe('artifact/report-csv');
		expect(searchSources(entries, '', 3)).toHaveLength(3);
	});
});
