import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import Database from 'better-sqlite3';
import {afterEach, describe, expect, it} from 'vitest';
import {collect} from '../client/collect.js';
import {createRun, ingest} from '../helpers/ingest.js';
import {startServeProcess, type ServeProcess} from '../helpers/serve-process.js';

/*
 * Faults of the machine and the network under a running `dbtail serve` (a real process, a real SQLite
 * file): the disk filling up, the server stopped and continued, a proxy that goes silent without closing.
 * Each time: what users are told, and every line once, in order, when it is over.
 */

const dirs: string[] = [];
const servers: ServeProcess[] = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
	for (const server of servers.splice(0)) {
		server.process.kill('SIGCONT');
		await server.stop('SIGKILL');
	}

	for (const cleanup of cleanups.splice(0)) {
		cleanup();
	}

	for (const dir of dirs.splice(0)) {
		fs.rmSync(dir, {recursive: true, force: true});
	}
});

function tempDir(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbtail-faults-'));
	dirs.push(dir);
	return dir;
}

async function serve(dbPath: string, args: string[] = []): Promise<ServeProcess> {
	const server = await startServeProcess(dbPath, args);
	servers.push(server);
	return server;
}

const lines = (from: number, count: number) => Array.from({length: count}, (_, i) => ({level: 'INFO', message: `line ${from + i}`}));

/** Mounts a small tmpfs of our own at `dir`; false where this machine does not let us (no root, no mount). */
function mountSmallDisk(dir: string): boolean {
	if (process.platform !== 'linux' || process.getuid?.() !== 0) {
		return false;
	}

	try {
		execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', dir], {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
}

function unmount(dir: string): void {
	execFileSync('umount', ['-l', dir], {stdio: 'ignore'});
}

const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'dbtail-mount-probe-'));
const canMount = mountSmallDisk(probe);
if (canMount) {
	unmount(probe);
}

fs.rmSync(probe, {recursive: true, force: true});

describe(`a full disk under dbtail serve${canMount ? '' : ' (skipped: mounting a small tmpfs needs root on Linux and a sandbox that allows mount)'}`, () => {
	it.skipIf(!canMount)('says so to the producer, keeps streams up, corrupts nothing, and recovers once space is freed', async () => {
		const disk = tempDir();
		expect(mountSmallDisk(disk)).toBe(true);
		cleanups.push(() => unmount(disk));
		const dbPath = path.join(disk, 'logs.db');
		const server = await serve(dbPath);
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		const follower = collect({source: 'automation/etl', server: server.url, follow: true});
		follower.stream.start();
		await ingest(server.url, undefined, runId, lines(1, 10));
		await follower.until(() => follower.records.length === 10, 10_000, 'the first lines');

		// Fill what is left but a little, then post until the store runs out.
		const filler = path.join(disk, 'filler');
		try {
			execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], {stdio: 'ignore'});
		} catch {
			// dd stops with "No space left on device": the disk is full, as wanted.
		}

		let accepted = 10;
		let refusal: {status: number; text: string} | undefined;
		for (let batch = 0; batch < 200 && !refusal; batch++) {
			const response = await fetch(`${server.url}/api/runs/${runId}/logs`, {
				method: 'POST',
				headers: {'content-type': 'application/json'},
				body: JSON.stringify(lines(accepted + 1, 50).map((line) => ({...line, message: `${line.message} ${'p'.repeat(400)}`}))),
			});
			if (response.ok) {
				accepted += 50;
			} else {
				refusal = {status: response.status, text: await response.text()};
			}
		}

		expect(refusal?.status).toBe(507);
		expect(refusal?.text).toContain('the disk under the store is full');
		// The stream is still up and still says what it has.
		expect(follower.stream.state.kind).toBe('live');
		await follower.until(() => follower.records.length === accepted, 10_000, 'every accepted line');

		fs.rmSync(filler);
		await ingest(server.url, undefined, runId, lines(accepted + 1, 5));
		await follower.until(() => follower.records.length === accepted + 5, 10_000, 'lines after space was freed');
		follower.stream.close();
		expect(follower.records.map((record) => record.message.split(' ').slice(0, 2).join(' '))).toEqual(
			Array.from({length: accepted + 5}, (_, i) => `line ${i + 1}`),
		);

		expect(await server.stop()).toBe(0);
		const db = new Database(dbPath, {readonly: true});
		expect(db.pragma('integrity_check', {simple: true})).toBe('ok');
		expect((db.prepare('SELECT COUNT(*) AS n FROM logs').get() as {n: number}).n).toBe(accepted + 5);
		db.close();
	}, 60_000);
});

describe('dbtail serve stopped and continued under its clients', () => {
	it('SIGSTOP for longer than the clients\' deadline, then SIGCONT: every line once, in order', async () => {
		const dbPath = path.join(tempDir(), 'logs.db');
		const server = await serve(dbPath, ['--heartbeat', '1']);
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		const followers = Array.from({length: 3}, () => collect({source: 'automation/etl', server: server.url, follow: true, reconnect: {}}));
		for (const follower of followers) {
			follower.stream.start();
		}

		await ingest(server.url, undefined, runId, lines(1, 100));
		await Promise.all(followers.map(async (follower) => follower.until(() => follower.records.length === 100, 10_000, '100 lines')));
		server.process.kill('SIGSTOP');
		// A producer that posts while the server is stopped waits in the kernel's queue, as do reconnects. On a
		// connection of its own: fetch would reuse the idle keep-alive one, whose server-side 5 s timer fires
		// first thing on SIGCONT and resets it under the request (ECONNRESET, 1 run in 3 on a busy machine).
		const late = postOnFreshConnection(`${server.url}/api/runs/${runId}/logs`, JSON.stringify(lines(101, 100)));
		await Promise.all(
			followers.map(async (follower) =>
				follower.until(() => follower.states.some((state) => state.kind === 'reconnecting'), 15_000, 'the dead connection to be noticed'),
			),
		);
		server.process.kill('SIGCONT');
		expect(await late).toBe(200);
		await ingest(server.url, undefined, runId, lines(201, 100));
		for (const follower of followers) {
			await follower.until(() => follower.records.length >= 300, 20_000, '300 lines');
			follower.stream.close();
			expect(follower.records.map((record) => record.message)).toEqual(Array.from({length: 300}, (_, i) => `line ${i + 1}`));
		}
	}, 60_000);
});

/** POSTs a JSON body on a new connection (no keep-alive pool); resolves with the status once answered. */
async function postOnFreshConnection(url: string, body: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const request = http.request(url, {method: 'POST', agent: false, headers: {'content-type': 'application/json'}}, (response) => {
			response.resume();
			response.on('end', () => resolve(response.statusCode ?? 0));
		});
		request.on('error', reject);
		request.end(body);
	});
}

/** A TCP proxy in front of the server that, when told, stops passing bytes on but keeps every socket open. */
async function startSilencingProxy(target: URL): Promise<{url: string; silence(): void; close(): Promise<void>}> {
	const sockets = new Set<net.Socket>();
	const proxy = net.createServer((client) => {
		const upstream = net.connect(Number(target.port), target.hostname);
		sockets.add(client);
		sockets.add(upstream);
		client.on('data', (chunk: Buffer) => upstream.write(chunk));
		upstream.on('data', (chunk: Buffer) => client.write(chunk));
		const end = () => {
			client.destroy();
			upstream.destroy();
		};

		client.on('error', end);
		upstream.on('error', end);
		client.on('close', end);
		upstream.on('close', end);
	});
	await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
	const {port} = proxy.address() as net.AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		silence() {
			// The connections open now pass nothing more, and stay open; new ones work as before.
			for (const socket of sockets) {
				socket.removeAllListeners('data');
			}
		},
		async close() {
			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise<void>((resolve) => proxy.close(() => resolve()));
		},
	};
}

describe('a proxy that goes silent without closing', () => {
	it('the watchdog notices, the client reconnects through it, and nothing is lost or doubled', async () => {
		const dbPath = path.join(tempDir(), 'logs.db');
		const server = await serve(dbPath, ['--heartbeat', '1']);
		const proxy = await startSilencingProxy(new URL(server.url));
		cleanups.push(() => void proxy.close());
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		const follower = collect({source: 'automation/etl', server: proxy.url, follow: true, reconnect: {}});
		follower.stream.start();
		await ingest(server.url, undefined, runId, lines(1, 50));
		await follower.until(() => follower.records.length === 50, 10_000, '50 lines');
		proxy.silence();
		await ingest(server.url, undefined, runId, lines(51, 50));
		await follower.until(
			() => follower.states.some((state) => state.kind === 'reconnecting' && /presumed dead/.test(state.lastError)),
			10_000,
			'the silence to be noticed',
		);
		await follower.until(() => follower.records.length >= 100, 15_000, '100 lines');
		follower.stream.close();
		expect(follower.records.map((record) => record.message)).toEqual(Array.from({length: 100}, (_, i) => `line ${i + 1}`));
	}, 40_000);
});
