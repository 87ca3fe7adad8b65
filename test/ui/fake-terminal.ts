import {EventEmitter} from 'node:events';

/**
 * A terminal as Ink sees one: a TTY of a given size that records what is written to it, and a stdin that
 * hands Ink a read on 'readable', as a real terminal does (`type`).
 */
export function fakeTerminal(columns = 80, rows = 24) {
	const writes: string[] = [];
	const stdout = Object.assign(new EventEmitter(), {
		isTTY: true,
		columns,
		rows,
		write(chunk: string) {
			writes.push(chunk);
			return true;
		},
	});
	let pending: string | null = null;
	const stdin = Object.assign(new EventEmitter(), {
		isTTY: true,
		setRawMode: () => stdin,
		setEncoding() {},
		ref() {},
		unref() {},
		resume() {},
		pause() {},
		read() {
			const data = pending;
			pending = null;
			return data;
		},
	});
	const type = (data: string) => {
		pending = data;
		stdin.emit('readable');
	};

	return {stdout, stdin, type, writes, screen: () => writes.join('')};
}
