import process from 'node:process';
import type {Readable, Writable} from 'node:stream';

/**
 * Reads a secret: all of stdin when it is a pipe (`pass show x | dbtail login`), else a prompt on the
 * terminal with echo off. The secret is never written anywhere.
 */
export async function readSecret(prompt: string, input: Readable = process.stdin, output: Writable = process.stderr): Promise<string> {
	const tty = input as Readable & {isTTY?: boolean; setRawMode?: (raw: boolean) => void};
	if (!tty.isTTY || !tty.setRawMode) {
		let text = '';
		for await (const chunk of input) {
			text += String(chunk);
		}

		return text.trim();
	}

	output.write(prompt);
	tty.setRawMode(true);
	input.setEncoding('utf8');
	input.resume();
	return new Promise<string>((resolve, reject) => {
		let secret = '';
		const done = (error?: Error) => {
			input.off('data', onData);
			tty.setRawMode!(false);
			input.pause();
			output.write('\n');
			if (error) {
				reject(error);
			} else {
				resolve(secret.trim());
			}
		};

		const onData = (chunk: string) => {
			for (const char of chunk) {
				if (char === '\r' || char === '\n' || char === '\u0004') {
					done();
					return;
				}

				if (char === '\u0003') {
					done(Object.assign(new Error('interrupted'), {code: 'EINTR'}));
					return;
				}

				secret = char === '\u007F' || char === '\b' ? secret.slice(0, -1) : secret + char;
			}
		};

		input.on('data', onData);
	});
}
