import {it} from 'vitest';
import {renderViewer, tick} from './render-viewer.js';
it('scratch', async () => {
	const viewer = renderViewer({sources: ['automation/a', 'task/b', 'pipeline/c'], columns: 100, rows: 50, scrollback: 500});
	const srcs = ['automation/a', 'task/b', 'pipeline/c'];
	let n = 0;
	const frame = async () => { for (const s of srcs) for (let k = 0; k < 20; k++) viewer.stream(s).log(`extract: wrote ${n++} MB to s3://warehouse/extract/part-0${n}.parquet`, 'INFO'); viewer.workspace.changed(); await tick(34); };
	for (let i = 0; i < 50; i++) await frame();
	global.gc?.(); const h0 = process.memoryUsage().heapUsed;
	const c0 = process.cpuUsage();
	for (let i = 0; i < 300; i++) await frame();
	const c = process.cpuUsage(c0);
	global.gc?.(); const h1 = process.memoryUsage().heapUsed;
	console.log('heap growth over 300 frames MB', ((h1 - h0) / 1e6).toFixed(1), 'gc?', Boolean(global.gc), 'cpu/frame ms', ((c.user + c.system) / 1000 / 300).toFixed(1));
});
