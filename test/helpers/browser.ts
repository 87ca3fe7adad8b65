import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {chromium, type BrowserContext, type Page} from 'playwright-core';

/*
 * A real headless Chromium for the browser tests, through playwright-core: Debian's chromium at
 * /usr/bin/chromium, or the one CHROMIUM_PATH names. Each launch gets a fresh profile directory and talks
 * only to loopback addresses; background networking, QUIC and component updates are off.
 */

function findChromium(): {path?: string; missing?: string} {
	const configured = process.env.CHROMIUM_PATH;
	if (configured) {
		return existsSync(configured) ? {path: configured} : {missing: `CHROMIUM_PATH=${configured} does not exist`};
	}

	return existsSync('/usr/bin/chromium') ? {path: '/usr/bin/chromium'} : {missing: "no Chromium found; install Debian's chromium or set CHROMIUM_PATH"};
}

const found = findChromium();

export const CHROMIUM_PATH = found.path;

/**
 * A describe name that says, when the browser tests cannot run, why they are skipped; the reason is also
 * printed, because the default reporter shows only a count of skipped tests.
 */
export function browserSuite(name: string): string {
	if (found.path) {return `${name} (Chromium at ${found.path})`;}
	console.warn(`${name}: skipped: ${found.missing}`);
	return `${name} (skipped: ${found.missing})`;
}

export type Browser = {context: BrowserContext; newPage(): Promise<Page>; close(): Promise<void>};

export async function launchBrowser(): Promise<Browser> {
	if (!found.path) {throw new Error(found.missing);}
	const profile = mkdtempSync(path.join(tmpdir(), 'dbtail-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: found.path,
		headless: true,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	return {
		context,
		newPage: async () => context.newPage(),
		async close() {
			await context.close();
			rmSync(profile, {recursive: true, force: true});
		},
	};
}
