import js from '@eslint/js';
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import {createTypeScriptImportResolver} from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/*
 * The layers, top to bottom: cli → commands → ui / follow / demo → model / client / server / config →
 * protocol (errors.ts and version.ts sit beside protocol, for everyone). A file may import from its own
 * layer and the ones below it, never from above: that is what keeps the viewer out of the server, the
 * server out of the demo, and the wire contract free of everything.
 */
const above = {
	protocol: ['cli', 'commands', 'ui', 'follow', 'demo', 'model', 'client', 'server', 'config'],
	lower: ['cli', 'commands', 'ui', 'follow', 'demo'],
	middle: ['cli', 'commands'],
};

/*
 * Within the parts layer, each part keeps to its own: the server knows no client, model or config; the client
 * and config know no model or server; the model knows no server or config, and takes only types from the
 * client (a pane is handed its stream and history reader; it never makes one).
 */
const beside = {
	server: ['model', 'client', 'config'],
	client: ['model', 'server'],
	config: ['model', 'server'],
	model: ['server', 'config'],
};

const folderPattern = (folders) => `(^|/)(${folders.join('|')})(/|\\.js$)`;

function layer(folders, forbidden, {typesFrom = []} = {}) {
	const patterns = [{
		regex: folderPattern(forbidden),
		message: `Imports point down only (see eslint.config.js): ${folders.join(', ')} may not import from ${forbidden.join(', ')}.`,
	}];
	if (typesFrom.length > 0) {
		patterns.push({
			regex: folderPattern(typesFrom),
			allowTypeImports: true,
			message: `${folders.join(', ')} may take only types from ${typesFrom.join(', ')} (see eslint.config.js).`,
		});
	}

	return {
		files: folders.map((folder) => `source/${folder}/**/*.{ts,tsx}`),
		rules: {
			'no-restricted-imports': 'off',
			'@typescript-eslint/no-restricted-imports': ['error', {patterns}],
		},
	};
}

// One rule for private members: the language's own #x, never TypeScript's `private`.
const privateModifier = {
	selector: ':matches(PropertyDefinition, MethodDefinition[kind!="constructor"], TSParameterProperty)[accessibility="private"]',
	message: 'Use a #private member, not TypeScript\'s private modifier.',
};

// The product never formats numbers or dates through ICU: that pages about 5 MB of locale data into every process.
const localeFormatting = {
	selector: ':matches(CallExpression[callee.property.name=/^toLocale/], NewExpression[callee.object.name="Intl"][callee.property.name=/^(NumberFormat|DateTimeFormat)$/])',
	message: 'Use count() from source/model/count-text.ts (or toISOString): locale formatting loads ICU\'s data (about 5 MB of RSS).',
};

export default tseslint.config(
	{ignores: ['dist/', 'node_modules/', 'coverage/', 'screenshots/']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	comments.recommended,
	{
		languageOptions: {globals: {...globals.node}},
		plugins: {'import-x': importX, 'react-hooks': reactHooks},
		settings: {
			'import-x/resolver-next': [createTypeScriptImportResolver({project: './tsconfig.json'})],
			// Without these import-x reads only .js files, and no-cycle would see no TypeScript import at all.
			'import-x/extensions': ['.ts', '.tsx', '.js'],
			'import-x/parsers': {'@typescript-eslint/parser': ['.ts', '.tsx']},
		},
		linterOptions: {reportUnusedDisableDirectives: 'error'},
		rules: {
			// One rule for braces: always.
			curly: ['error', 'all'],
			// One rule for private members: the language's own #x, never TypeScript's `private`.
			'no-restricted-syntax': ['error', privateModifier],
			// A disable says why, and one that no longer disables anything is an error (above).
			'@eslint-community/eslint-comments/require-description': ['error', {ignore: []}],
			'@eslint-community/eslint-comments/disable-enable-pair': ['error', {allowWholeFile: true}],
			'import-x/no-cycle': 'error',
			'react-hooks/rules-of-hooks': 'error',
			'react-hooks/exhaustive-deps': 'error',
			'@typescript-eslint/consistent-type-imports': ['error', {fixStyle: 'inline-type-imports'}],
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
		},
	},
	layer(['protocol'], above.protocol),
	layer(['server'], [...above.lower, ...beside.server]),
	layer(['client'], [...above.lower, ...beside.client]),
	layer(['config'], [...above.lower, ...beside.config]),
	layer(['model'], [...above.lower, ...beside.model], {typesFrom: ['client']}),
	layer(['ui', 'follow', 'demo'], above.middle),
	{files: ['source/**/*.{ts,tsx}'], rules: {'no-restricted-syntax': ['error', privateModifier, localeFormatting]}},
);
