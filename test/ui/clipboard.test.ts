import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {copyText} from '../../source/ui/clipboard.js';
import {TmuxSession} from '../helpers/tmux.js';

/* `c` inside tmux: a real tmux server of our own; the line lands in its paste buffer, no OSC 52 sent. */

describe('copying inside tmux', () => {
	let session: TmuxSession;
	beforeAll(async () => {
		session = await TmuxSession.start({command: 'exec sleep 60'});
	});
	afterAll(async () => {
		await session?.kill();
	});

	it('loads the line into tmux\'s buffer and says where it went', async () => {
		const socket = (await session.tmux('display-message', '-p', '#{socket_path}')).trim();
		const raw: string[] = [];
		const copied = await copyText('10:30:45.123 ERROR [extract] boom 💥', (data) => raw.push(data), {...process.env, TMUX: `${socket},1,0`});
		expect(copied.message).toMatch(/^copied 35 characters to the tmux buffer/);
		expect(raw).toEqual([]);
		expect(await session.tmux('show-buffer')).toBe('10:30:45.123 ERROR [extract] boom 💥');
	});

	it('asks the terminal with OSC 52 when tmux cannot take it', async () => {
		const raw: string[] = [];
		const copied = await copyText('boom', (data) => raw.push(data), {...process.env, TMUX: '/nonexistent/socket,1,0'});
		expect(raw).toEqual([`\u001B]52;c;${Buffer.from('boom').toString('base64')}\u0007`]);
		expect(copied.message).toContain('asked the terminal to copy 4 characters');
	});
	it('falls back to OSC 52, and stays up, when tmux exits without reading what it was given', async () => {
		// A tmux that reads nothing and exits: a line bigger than a pipe holds breaks the pipe (EPIPE) for certain.
		const bin = mkdtempSync(path.join(tmpdir(), 'dbtail-fake-tmux-'));
		try {
			writeFileSync(path.join(bin, 'tmux'), '#!/bin/sh\nexit 1\n');
			chmodSync(path.join(bin, 'tmux'), 0o755);
			const raw: string[] = [];
			const big = 'x'.repeat(1024 * 1024);
			const copied = await copyText(big, (data) => raw.push(data), {...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, TMUX: '/fake/socket,1,0'});
			expect(copied.message).toContain('asked the terminal to copy 1048576 characters');
			expect(raw).toHaveLength(1);
		} finally {
			rmSync(bin, {recursive: true, force: true});
		}
	});
});
