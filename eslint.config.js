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

function layer(folders, forbidden) {
	return {
		files: folders.map((folder) => `source/${folder}/**/*.{ts,tsx}`),
		rules: {
			'no-restricted-imports': ['error', {
				patterns: [{
					regex: `(^|/)(${forbidden.join('|')})(/|\\.js$)`,
					message: `Imports point down only (see eslint.config.js): ${folders.join(', ')} may not import from ${forbidden.join(', ')}.`,
				}],
			}],
		},
	};
}

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
			'no-restricted-syntax': ['error', {
				selector: ':matches(PropertyDefinition, MethodDefinition[kind!="constructor"], TSParameterProperty)[accessibility="private"]',
				message: 'Use a #private member, not TypeScript\'s private modifier.',
			}],
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
	layer(['model', 'client', 'server', 'config'], above.lower),
	layer(['ui', 'follow', 'demo'], above.middle),
);
