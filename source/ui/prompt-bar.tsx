import {Box, Text, useInput} from 'ink';
import TextInput from 'ink-text-input';
import {useState} from 'react';
import {tint, useTheme} from './theme.js';

type Props = {
	label: string;
	initial: string;
	width: number;
	/** Called on every change, so the pane filters or highlights live as the user types. */
	onChange: (value: string) => string | undefined;
	onSubmit: (value: string) => void;
	onCancel: () => void;
};

/**
 * The bottom line while typing a filter or a search. Its keys go only here (the panes' handler is inactive
 * meanwhile); Enter keeps what was typed, Esc cancels. An invalid regex is shown next to the input.
 */
export function PromptBar({label, initial, width, onChange, onSubmit, onCancel}: Props) {
	const theme = useTheme();
	const [value, setValue] = useState(initial);
	const [error, setError] = useState<string | undefined>(undefined);
	useInput((_input, key) => {
		if (key.escape) {
			onCancel();
		}
	});
	return (
		<Box width={width} height={1} overflow="hidden">
			<Text wrap="truncate-end">
				<Text bold>{label} </Text>
				<TextInput
					value={value}
					onChange={(next) => {
						setValue(next);
						setError(onChange(next));
					}}
					onSubmit={onSubmit}
				/>
				{error ? <Text color={tint(theme, 'red')} bold={!theme.color}>{`  ${error}`}</Text> : <Text dimColor>{'  Enter keep · Esc clear'}</Text>}
			</Text>
		</Box>
	);
}
