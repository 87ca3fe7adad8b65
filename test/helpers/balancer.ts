import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {until} from './until.js';

/*
 * A real load balancer process in front of real `dbtail serve` instances: nginx, on the very configuration
 * docs/deploy.md gives (read from the page, with the test's ports put in), when nginx is installed
 * (Debian: apt-get install nginx); else a small TCP round-robin balancer in a process of its own
 * (tcp-balancer.ts) that, like nginx, skips an instance it cannot connect to. The test's name says which.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function findNginx(): string | undefined {
	// DBTAIL_TEST_BALANCER=tcp tries what a machine without nginx does.
	if (process.env.DBTAIL_TEST_BALANCER === 'tcp') {return undefined;}
	for (const candidate of [process.env.NGINX_PATH, '/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/bin/nginx']) {
		if (candidate && spawnSync(candidate, ['-v']).status === 0) {return candidate;}
	}

	return undefined;
}

export const NGINX = findNginx();
export const BALANCER_KIND = NGINX ? `nginx (${NGINX}) on docs/deploy.md's configuration` : 'a TCP round-robin balancer process (nginx is not installed)';

/** The nginx block of docs/deploy.md, with the listen port and the upstream servers of this test. */
export function deployNginxConfig(listenPort: number, backends: number[]): string {
	const page = readFileSync(path.join(root, 'docs/deploy.md'), 'utf8');
	const block = /```nginx\n(# \/etc\/nginx\/conf\.d\/dbtail\.conf\n[\s\S]*?)```/.exec(page)?.[1];
	if (!block) {throw new Error('docs/deploy.md has no ```nginx block starting with # /etc/nginx/conf.d/dbtail.conf');}
	const servers = /^( *)server 127\.0\.0\.1:\d+ (.*);\n/gm;
	const [first] = [...block.matchAll(servers)];
	if (!first) {throw new Error("docs/deploy.md's nginx block has no `server 127.0.0.1:PORT ...;` lines");}
	const upstreams = backends.map((port) => `${first[1]}server 127.0.0.1:${port} ${first[2]};\n`).join('');
	return block.replace(servers, (line) => (line === first[0] ? upstreams : '')).replace(/listen 127\.0\.0\.1:\d+;/, `listen 127.0.0.1:${listenPort};`);
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

async function accepting(port: number, child: ChildProcess, output: () => string): Promise<void> {
	const open = async () => {
		if (child.exitCode !== null) {throw new Error(`the balancer exited with ${child.exitCode}: ${output()}`);}
		return new Promise<boolean>((resolve) => {
			const socket = net.connect(port, '127.0.0.1', () => {
				socket.destroy();
				resolve(true);
			});
			socket.once('error', () => resolve(false));
		});
	};
	try {
		await until(open, 'the balancer to listen', 10_000);
	} catch (error) {
		throw new Error(`${(error as Error).message}: ${output()}`, {cause: error});
	}
}

export type Balancer = {url: string; kind: string; stop(): Promise<void>};

const running = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of running) {child.kill('SIGKILL');}
});

export async function startBalancer(backends: number[]): Promise<Balancer> {
	const port = await freePort();
	const dir = mkdtempSync(path.join(tmpdir(), 'dbtail-balancer-'));
	let child: ChildProcess;
	if (NGINX) {
		// nginx's workers run as nobody when it is started as root: its temp directories must be theirs too.
		for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
			mkdirSync(path.join(dir, temp));
			chmodSync(path.join(dir, temp), 0o777);
		}

		const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name, index) => `${name}_temp_path ${path.join(dir, ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'][index]!)};`);
		writeFileSync(
			path.join(dir, 'nginx.conf'),
			`daemon off;\nworker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log warn;\nevents { worker_connections 4096; }\nhttp {\naccess_log off;\n${temps.join('\n')}\n${deployNginxConfig(port, backends)}}\n`,
		);
		child = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], {stdio: ['ignore', 'pipe', 'pipe']});
	} else {
		child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/helpers/tcp-balancer.ts'), String(port), ...backends.map(String)], {
			cwd: root,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
	}

	running.add(child);
	let output = '';
	child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	await accepting(port, child, () => output);
	return {
		url: `http://127.0.0.1:${port}`,
		kind: BALANCER_KIND,
		async stop() {
			if (child.exitCode === null) {
				const exited = new Promise((resolve) => child.once('exit', resolve));
				child.kill('SIGTERM');
				await exited;
			}

			running.delete(child);
			rmSync(dir, {recursive: true, force: true});
		},
	};
}
